// For the admin billing page: the month's reconciliation (admins only; kept apart from the member pages' loader).
import "server-only";
import { requireAdmin } from "../auth/current-user";
import { getDb } from "../db/client";
import { getBillingReconciliation } from "./get-billing-reconciliation";
import { monthOf } from "./load-billing-pages";

export async function loadAdminBilling(month?: string, cursor?: string) {
  await requireAdmin();
  return getBillingReconciliation(await getDb(), { month: monthOf(month), limit: 50, cursor: cursor && /^\d{1,9}$/.test(cursor) ? cursor : undefined });
}
