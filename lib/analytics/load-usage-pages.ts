// For pages: the usage dashboards' data for the signed-in user (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { ApiError } from "../http/errors";
import { findKey } from "../keys/find-key";
import { loadKeyRecords } from "../keys/load-key-records";
import { serializeKey } from "../keys/serialize-key";
import { getProject } from "../projects/get-project";
import { sessionActor } from "../teams/authorize";
import { getKeySpikeState } from "./get-key-spike-state";
import { getPoolStatus } from "./get-pool-status";
import { getQuotaStatus } from "./get-quota-status";
import { getUsageReport } from "./get-usage-report";
import { countProjectKeys, KEY_ACTIVITY_PAGE_SIZE, listKeyActivity } from "./list-key-activity";
import { rangeWindow, usageRangeSchema } from "./usage-range";
import { findProjectInsights } from "./usage-signals";

/** The project usage page; 404 not_found for a project that is not the user's. `keysPage` is 1-based. */
export async function loadProjectUsagePage(options: { projectId: string; range?: string; keysPage?: string }) {
  const user = await requireUser();
  const db = await getDb();
  const project = await getProject(db, { projectId: options.projectId, member: sessionActor(user) });
  const window = rangeWindow(usageRangeSchema.parse(options.range));
  const requested = Number.parseInt(options.keysPage ?? "1", 10);
  const page = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
  const [report, keys, keyCount, insights, pool] = await Promise.all([
    getUsageReport(db, { scope: { projectId: project.id }, ...window }),
    listKeyActivity(db, { projectId: project.id, page: { limit: KEY_ACTIVITY_PAGE_SIZE, offset: (page - 1) * KEY_ACTIVITY_PAGE_SIZE } }),
    countProjectKeys(db, { projectId: project.id }),
    findProjectInsights(db, { projectId: project.id }),
    getPoolStatus(db, { project }),
  ]);
  return { project, window, report, keys, keysPage: { page, pageSize: KEY_ACTIVITY_PAGE_SIZE, total: keyCount }, insights, pool };
}

/** The key usage page; 404 not_found for a key that is not the user's (or not in that project). */
export async function loadKeyUsagePage(options: { projectId: string; keyId: string; range?: string }) {
  const user = await requireUser();
  const db = await getDb();
  const row = await findKey(db, { keyId: options.keyId, member: { actor: sessionActor(user), action: "read" } });
  if (row.projectId !== options.projectId) throw new ApiError("not_found", "No such key.");
  const now = new Date();
  const window = rangeWindow(usageRangeSchema.parse(options.range), now);
  const [[record], report, [quota], spike] = await Promise.all([
    loadKeyRecords(db, [row], now),
    getUsageReport(db, { scope: { keyId: row.id }, ...window }),
    getQuotaStatus(db, { keys: [row], now }),
    getKeySpikeState(db, { key: row, now }),
  ]);
  return { key: serializeKey(record, now), window, report, quota, spike };
}
