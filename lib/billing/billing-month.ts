// The month a billing view covers: `month=YYYY-MM` (UTC), the current month when absent.
import { z } from "zod";

export const billingMonthQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM")
    .optional(),
});

export type BillingMonth = { month: string; from: Date; to: Date };

export function billingMonth(month?: string, now = new Date()): BillingMonth {
  const [y, m] = month ? month.split("-").map(Number) : [now.getUTCFullYear(), now.getUTCMonth() + 1];
  const from = new Date(Date.UTC(y, m - 1, 1));
  const to = new Date(Date.UTC(y, m, 1));
  return { month: `${y}-${String(m).padStart(2, "0")}`, from, to };
}
