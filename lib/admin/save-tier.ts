// Creates or edits a tier. An edit reaches every key on the tier at its next request (tier invalidation).
import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { tiers } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { resolveTier } from "./resolve-tier";
import { tierJson, type createTierBody, type TierJson, type updateTierBody } from "./tier-fields";

type Actor = { id: string; email: string };
export type SaveTierOptions =
  | { tierId?: undefined; fields: z.infer<typeof createTierBody>; actor: Actor; ip?: string | null }
  | { tierId: string; fields: z.infer<typeof updateTierBody>; actor: Actor; ip?: string | null };

export async function saveTier(db: Db, options: SaveTierOptions): Promise<TierJson> {
  const { fields } = options;
  const existing = options.tierId ? await db.select().from(tiers).where(eq(tiers.id, options.tierId)).then((r) => r[0]) : undefined;
  if (options.tierId && !existing) throw new ApiError("not_found", "No such tier.");
  const id = existing?.id ?? newId("tier");

  let spikeThrottleTierId = fields.spikeThrottleTierId;
  if (spikeThrottleTierId) {
    spikeThrottleTierId = (await resolveTier(db, spikeThrottleTierId, "spikeThrottleTierId")).id;
    if (spikeThrottleTierId === id) throw invalid("spikeThrottleTierId", "must be a different tier");
  }
  const spikeAction = fields.spikeAction ?? existing?.spikeAction ?? "flag";
  const throttleTo = spikeThrottleTierId !== undefined ? spikeThrottleTierId : existing?.spikeThrottleTierId;
  if (spikeAction === "throttle" && !throttleTo) throw invalid("spikeThrottleTierId", "is required when spikeAction is throttle");

  if (fields.name) {
    const [clash] = await db.select({ id: tiers.id }).from(tiers).where(and(eq(tiers.name, fields.name), ne(tiers.id, id)));
    if (clash) throw new ApiError("conflict", `A tier named ${JSON.stringify(fields.name)} already exists.`);
  }

  const values = { ...fields, ...(spikeThrottleTierId !== undefined ? { spikeThrottleTierId } : {}) };
  const row = await db.transaction(async (tx) => {
    const [saved] = existing
      ? await tx.update(tiers).set({ ...values, updatedAt: new Date() }).where(eq(tiers.id, id)).returning()
      : await tx.insert(tiers).values({ id, ...(values as z.infer<typeof createTierBody>) }).returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: existing ? "tier.update" : "tier.create",
      target: { type: "tier", id },
      ip: options.ip,
      metadata: existing ? { before: tierJson(existing), changes: values } : { tier: tierJson(saved) },
    });
    return saved;
  });
  await publishInvalidation(db, { type: "tier", tierId: id });
  return tierJson(row);
}

const invalid = (path: string, message: string) =>
  new ApiError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });
