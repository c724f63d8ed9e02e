// A tier named by id ("tier_pro") or by name ("pro"); 422 naming the field when there is none.
import { eq, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, type Tier } from "../db/schema";
import { ApiError } from "../http/errors";

export async function resolveTier(db: Db, ref: string, field = "tier"): Promise<Tier> {
  const [tier] = await db.select().from(tiers).where(or(eq(tiers.id, ref), eq(tiers.name, ref)));
  if (!tier) throw new ApiError("validation_failed", `${field}: no tier has the id or name ${JSON.stringify(ref)}.`, { errors: [{ path: field, message: "unknown tier" }] });
  return tier;
}
