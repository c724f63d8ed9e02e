// The credits an admin sends (CONTRACT §14), validated at the boundary.
import { z } from "zod";

/** Balances and amounts are whole credits; a trillion is far beyond any plan and well inside a 64-bit counter. */
export const CREDITS_MAX = 1_000_000_000_000;

export const creditsInput = z
  .strictObject({
    remaining: z.number().int().min(0).max(CREDITS_MAX),
    refill: z.strictObject({ amount: z.number().int().min(1).max(CREDITS_MAX), interval: z.enum(["day", "month"]) }).nullable().default(null),
  })
  .nullable();

export type CreditsInput = z.infer<typeof creditsInput>;

export const topUpInput = z.strictObject({
  add: z.number().int().min(1).max(CREDITS_MAX),
  reason: z.string().trim().min(1).max(500),
});
