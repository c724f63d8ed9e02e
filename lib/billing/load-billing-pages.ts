// For pages: the signed-in member's view of a project's billing, and the admin's reconciliation (pages never touch
// the database themselves).
import "server-only";
import { requireAdmin, requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { billingMonthQuery } from "./billing-month";
import { getBillingReconciliation } from "./get-billing-reconciliation";
import { getProjectBilling, type ProjectBilling } from "./get-project-billing";

/** The month from a page's search params; anything malformed means the current month. */
const monthOf = (month: string | undefined) => (billingMonthQuery.safeParse({ month }).success ? month : undefined);

export async function loadProjectBilling(projectId: string, month?: string): Promise<ProjectBilling> {
  const user = await requireUser();
  return getProjectBilling(await getDb(), { projectId, member: sessionActor(user), month: monthOf(month) });
}

export async function loadAdminBilling(month?: string, cursor?: string) {
  await requireAdmin();
  return getBillingReconciliation(await getDb(), { month: monthOf(month), limit: 50, cursor: cursor && /^\d{1,9}$/.test(cursor) ? cursor : undefined });
}

/** The month before and after `month` (YYYY-MM), for the pages' month switcher. */
export function adjacentMonths(month: string): { previous: string; next: string } {
  const [y, m] = month.split("-").map(Number);
  const at = (delta: number) => {
    const d = new Date(Date.UTC(y, m - 1 + delta, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  };
  return { previous: at(-1), next: at(1) };
}
