// Every tier, smallest limits first (unlimited sorts last).
import { asc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers } from "../db/schema";
import { tierJson, type TierJson } from "./tier-fields";

export async function listTiers(db: Db): Promise<TierJson[]> {
  const rows = await db
    .select()
    .from(tiers)
    .orderBy(sql`${tiers.perMinute} asc nulls last`, asc(tiers.name));
  return rows.map(tierJson);
}
