// For pages: the admin console's data, for admins only (pages never touch the database themselves). The admin
// layout already redirects everyone else; each loader checks again so no page can leak by being moved.
import "server-only";
import { requireAdmin } from "../auth/current-user";
import { getDb } from "../db/client";
import { getAdminOverviewWithInsights } from "../analytics/usage-signals";
import { listAuditEvents, type auditQuery } from "./list-audit-events";
import { listTeamsForAdmin } from "./list-teams";
import { listTiers } from "./list-tiers";
import { searchKeys, type adminKeysQuery } from "./search-keys";
import { searchProjects } from "./search-projects";
import { searchUsers } from "./search-users";
import type { z } from "zod";
import { listApisForAdmin } from "../apis/list-apis";

async function adminDb() {
  const user = await requireAdmin();
  return { user, db: await getDb() };
}

export async function loadAdminOverview() {
  const { db } = await adminDb();
  return getAdminOverviewWithInsights(db);
}

export async function loadAdminUsers(options: { q?: string; cursor?: string }) {
  const { user, db } = await adminDb();
  return { me: user, page: await searchUsers(db, { ...options, limit: 25 }) };
}

export async function loadAdminKeys(options: Omit<z.infer<typeof adminKeysQuery>, "limit">) {
  const { db } = await adminDb();
  const [tiers, page] = await Promise.all([listTiers(db), searchKeys(db, { ...options, limit: 25 })]);
  return { tiers, page };
}

export async function loadAdminTiers() {
  const { db } = await adminDb();
  return listTiers(db);
}

export async function loadAdminProjects(options: { q?: string; cursor?: string }) {
  const { db } = await adminDb();
  const [tiers, page] = await Promise.all([listTiers(db), searchProjects(db, { ...options, limit: 25 })]);
  return { tiers, page };
}

export async function loadAdminAudit(query: z.infer<typeof auditQuery>) {
  const { db } = await adminDb();
  return listAuditEvents(db, query);
}

export async function loadAdminTeams(options: { q?: string }) {
  const { db } = await adminDb();
  return listTeamsForAdmin(db, { q: options.q });
}

export async function loadAdminApis() {
  const { db } = await adminDb();
  return listApisForAdmin(db);
}
