// For pages: the signed-in member's view of a project's billing (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { billingMonthQuery } from "./billing-month";
import { getProjectBilling, type ProjectBilling } from "./get-project-billing";

/** The month from a page's search params; anything malformed means the current month. */
export const monthOf = (month: string | undefined) => (billingMonthQuery.safeParse({ month }).success ? month : undefined);

export async function loadProjectBilling(projectId: string, month?: string): Promise<ProjectBilling> {
  const user = await requireUser();
  return getProjectBilling(await getDb(), { projectId, member: sessionActor(user), month: monthOf(month) });
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
