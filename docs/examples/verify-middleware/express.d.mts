import type { RequestHandler } from "express";

export function keyportVerify(input: { key: string; api: string; method?: string; path?: string; ip?: string; origin?: string }): Promise<{ valid: boolean; code: string; key: unknown; headers: Record<string, string> }>;
export function keyport(api: string): RequestHandler;
