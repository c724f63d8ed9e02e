// Admin-editable settings, with their defaults when never set.
import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { settings } from "../db/schema";

export type AdminSettings = {
  /** A key unused for this many days counts as a zombie. */
  zombieDays: number;
};

export const DEFAULT_SETTINGS: AdminSettings = { zombieDays: 30 };

/** Settings rows are keyed by these names. */
export const SETTING_KEYS: Record<keyof AdminSettings, string> = { zombieDays: "zombie_days" };

export async function getSettings(db: Db): Promise<AdminSettings> {
  const rows = await db.select().from(settings).where(inArray(settings.key, Object.values(SETTING_KEYS)));
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const zombieDays = Number(stored.get(SETTING_KEYS.zombieDays));
  return { zombieDays: Number.isInteger(zombieDays) && zombieDays > 0 ? zombieDays : DEFAULT_SETTINGS.zombieDays };
}
