// A tier's editable fields: limits (null = unlimited) and the spike circuit breaker setting.
import { z } from "zod";
import type { Tier } from "../db/schema";

const limit = z.number().int().min(1).max(1_000_000_000).nullable();

export const tierFields = {
  name: z.string().trim().min(1).max(40).regex(/^[a-z0-9][a-z0-9_-]*$/i, "use letters, digits, '-' or '_'"),
  burstPerSecond: limit,
  perMinute: limit,
  perDay: limit,
  perMonth: z.number().int().min(1).max(1_000_000_000_000).nullable(),
  spikeAction: z.enum(["flag", "throttle"]),
  /** Tier id or name of the restricted tier a spiking key moves to. */
  spikeThrottleTierId: z.string().trim().min(1).max(100).nullable(),
  spikeThrottleSeconds: z.number().int().min(60).max(30 * 86_400),
};

export const createTierBody = z.strictObject({
  name: tierFields.name,
  burstPerSecond: tierFields.burstPerSecond,
  perMinute: tierFields.perMinute,
  perDay: tierFields.perDay,
  perMonth: tierFields.perMonth,
  spikeAction: tierFields.spikeAction.default("flag"),
  spikeThrottleTierId: tierFields.spikeThrottleTierId.default(null),
  spikeThrottleSeconds: tierFields.spikeThrottleSeconds.default(3600),
});

export const updateTierBody = z
  .strictObject({
    name: tierFields.name.optional(),
    burstPerSecond: tierFields.burstPerSecond.optional(),
    perMinute: tierFields.perMinute.optional(),
    perDay: tierFields.perDay.optional(),
    perMonth: tierFields.perMonth.optional(),
    spikeAction: tierFields.spikeAction.optional(),
    spikeThrottleTierId: tierFields.spikeThrottleTierId.optional(),
    spikeThrottleSeconds: tierFields.spikeThrottleSeconds.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "send at least one field" });

export type TierJson = {
  id: string;
  name: string;
  burstPerSecond: number | null;
  perMinute: number | null;
  perDay: number | null;
  perMonth: number | null;
  spikeAction: "flag" | "throttle";
  spikeThrottleTierId: string | null;
  spikeThrottleSeconds: number;
  createdAt: string;
  updatedAt: string;
};

export function tierJson(t: Tier): TierJson {
  return {
    id: t.id,
    name: t.name,
    burstPerSecond: t.burstPerSecond,
    perMinute: t.perMinute,
    perDay: t.perDay,
    perMonth: t.perMonth,
    spikeAction: t.spikeAction,
    spikeThrottleTierId: t.spikeThrottleTierId,
    spikeThrottleSeconds: t.spikeThrottleSeconds,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
