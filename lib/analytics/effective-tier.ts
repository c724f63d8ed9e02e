// The tier in force for a key: a spike throttle replaces the key's own tier until it runs out.
import type { ApiKey } from "../db/schema";

export function effectiveTierId(key: Pick<ApiKey, "tierId" | "throttleTierId" | "throttledUntil">, now: Date = new Date()): string {
  return key.throttleTierId && key.throttledUntil && key.throttledUntil > now ? key.throttleTierId : key.tierId;
}

export function isThrottled(key: Pick<ApiKey, "throttleTierId" | "throttledUntil">, now: Date = new Date()): boolean {
  return Boolean(key.throttleTierId && key.throttledUntil && key.throttledUntil > now);
}
