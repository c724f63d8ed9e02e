// An admin sets a key's or a project's credits (CONTRACT §14), or removes them (null). The settings get a new version,
// so every limiter store drops the balance it held and seeds the new one on the next request (the key cache learns
// of the change through the invalidation bus, on every instance). Audited in the same transaction.
import { eq } from "drizzle-orm";
import { recordEvent } from "../audit/record-event";
import type { Db } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { periodsAt, periodStartOf } from "../ratelimit/credit-periods";
import type { CreditSpec } from "../ratelimit/store";
import type { CreditsInput } from "./credit-input";

export type SetCreditsOptions = {
  owner: CreditSpec["owner"];
  id: string;
  credits: CreditsInput;
  actor: { id: string; email: string };
  ip?: string | null;
  now?: Date;
};

export async function setCredits(db: Db, options: SetCreditsOptions): Promise<void> {
  const now = options.now ?? new Date();
  const table = options.owner === "key" ? apiKeys : projects;
  const c = options.credits;
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(table).where(eq(table.id, options.id)).for("update");
    if (!row) throw new ApiError("not_found", options.owner === "key" ? "No such key." : "No such project.");
    const periodStart = c?.refill ? new Date(periodStartOf(c.refill.interval, periodsAt(now.getTime()))) : null;
    await tx
      .update(table)
      .set({
        creditsRemaining: c ? c.remaining : null,
        creditsRefillAmount: c?.refill?.amount ?? null,
        creditsRefillInterval: c?.refill?.interval ?? null,
        creditsVersion: row.creditsVersion + 1,
        creditsPeriodStart: periodStart,
        updatedAt: now,
      })
      .where(eq(table.id, options.id));
    const projectId = "projectId" in row ? row.projectId : row.id;
    await recordEvent(tx, {
      actor: options.actor,
      action: "credits.set",
      target: { type: options.owner, id: options.id },
      projectId,
      ip: options.ip,
      metadata: {
        from: row.creditsRemaining === null ? null : { remaining: row.creditsRemaining, refillAmount: row.creditsRefillAmount, interval: row.creditsRefillInterval },
        to: c,
      },
    });
  });
  await publishInvalidation(db, options.owner === "key" ? { type: "key", keyId: options.id } : { type: "project", projectId: options.id });
}
