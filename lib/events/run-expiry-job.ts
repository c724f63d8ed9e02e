// key.expiring (7 days and 1 day ahead) and key.expired, each announced once per key and expiry time across the
// cluster: whoever inserts the once-mark emits the event, in the same transaction.
import { and, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, onceMarks, type ApiKey } from "../db/schema";
import { emitEvent, keyEventData } from "./emit-event";

const DAY = 86_400_000;

export async function runExpiryJob(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  // Keys that expire within 7 days, or expired within the last day (a job that missed a day does not replay history).
  // Console keys are left out: they lapse 15 minutes after every use by design.
  const keys = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.kind, "standard"), isNull(apiKeys.revokedAt), isNotNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date(now.getTime() - DAY)), lte(apiKeys.expiresAt, new Date(now.getTime() + 7 * DAY))));
  let emitted = 0;
  for (const key of keys) {
    const left = key.expiresAt!.getTime() - now.getTime();
    const what = left <= 0 ? "expired" : left <= DAY ? "1d" : "7d";
    if (await announceOnce(db, key, what, now)) emitted++;
  }
  return emitted;
}

async function announceOnce(db: Db, key: ApiKey, what: "7d" | "1d" | "expired", now: Date): Promise<boolean> {
  const mark = `key.${what === "expired" ? "expired" : `expiring:${what}`}:${key.id}:${key.expiresAt!.getTime()}`;
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(onceMarks).values({ mark, createdAt: now }).onConflictDoNothing().returning({ mark: onceMarks.mark });
    if (inserted.length === 0) return false;
    const data = { key: keyEventData(key), expiresAt: key.expiresAt!.toISOString(), ...(what === "expired" ? {} : { within: what }) };
    await emitEvent(tx, { projectId: key.projectId, type: what === "expired" ? "key.expired" : "key.expiring", data, now });
    return true;
  });
}
