// Changes admin settings (audit-logged as settings.update).
import { z } from "zod";
import type { Db } from "../db/client";
import { settings } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { getSettings, SETTING_KEYS, type AdminSettings } from "./get-settings";

export const settingsPatch = z.strictObject({
  zombieDays: z.number().int().min(1).max(365).optional(),
});

export async function updateSettings(
  db: Db,
  options: { patch: z.infer<typeof settingsPatch>; actor: AuditActor; ip?: string | null },
): Promise<AdminSettings> {
  const before = await getSettings(db);
  await db.transaction(async (tx) => {
    for (const [name, value] of Object.entries(options.patch) as [keyof AdminSettings, number | undefined][]) {
      if (value === undefined) continue;
      await tx
        .insert(settings)
        .values({ key: SETTING_KEYS[name], value })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    }
    await recordEvent(tx, { actor: options.actor, action: "settings.update", target: { type: "settings", id: "admin" }, ip: options.ip, metadata: { before, patch: options.patch } });
  });
  return getSettings(db);
}
