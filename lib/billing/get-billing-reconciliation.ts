// The admin's reconciliation for one month (CONTRACT §14): per project with billable usage or meter events, the
// billable units and what became of them — sent, pending, failed (with Stripe's last answer), not yet in an event.
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingEvents, billingMinutes, projects, usageBillable } from "../db/schema";
import { toPage, type Page } from "../admin/page-cursor";
import { billingMonth } from "./billing-month";
import type { UnitsAndEvents } from "./get-project-billing";

export type ProjectReconciliation = {
  projectId: string;
  projectName: string;
  stripeCustomerId: string | null;
  billableUnits: number;
  sent: UnitsAndEvents;
  pending: UnitsAndEvents;
  failed: UnitsAndEvents;
  unsent: number;
  /** The newest failure's answer from Stripe, when any event failed. */
  lastFailure: { identifier: string; status: number | null; error: string | null } | null;
};

export async function getBillingReconciliation(
  db: Db,
  options: { month?: string; limit: number; cursor?: string },
): Promise<Page<ProjectReconciliation> & { month: string; totals: Omit<ProjectReconciliation, "projectId" | "projectName" | "stripeCustomerId" | "lastFailure"> }> {
  const { month, from, to } = billingMonth(options.month);
  const offset = Number(options.cursor ?? 0);
  const billable = db
    .select({ projectId: usageBillable.projectId, units: sql<string>`sum(${usageBillable.units})`.as("units") })
    .from(usageBillable)
    .where(and(gte(usageBillable.minute, from), lt(usageBillable.minute, to)))
    .groupBy(usageBillable.projectId)
    .as("billable");
  const rows = await db
    .select({ projectId: billable.projectId, units: billable.units, name: projects.name, customer: projects.stripeCustomerId })
    .from(billable)
    .innerJoin(projects, eq(projects.id, billable.projectId))
    .orderBy(sql`${billable.units} desc`, billable.projectId)
    .limit(options.limit + 1)
    .offset(offset);
  const page = rows.slice(0, options.limit);
  const ids = page.map((r) => r.projectId);
  const inMonth = (c: typeof billingEvents.minute | typeof billingMinutes.minute) => and(gte(c, from), lt(c, to));
  const [events, unsent, failures, totals] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .select({ projectId: billingEvents.projectId, status: billingEvents.status, units: sql<string>`sum(${billingEvents.value})`, events: sql<string>`count(*)` })
          .from(billingEvents)
          .where(and(inArray(billingEvents.projectId, ids), inMonth(billingEvents.minute)))
          .groupBy(billingEvents.projectId, billingEvents.status),
    ids.length === 0
      ? []
      : db
          .select({ projectId: billingMinutes.projectId, units: sql<string>`sum(${billingMinutes.units} - ${billingMinutes.sentUnits})` })
          .from(billingMinutes)
          .where(and(inArray(billingMinutes.projectId, ids), inMonth(billingMinutes.minute)))
          .groupBy(billingMinutes.projectId),
    ids.length === 0
      ? []
      : db
          .selectDistinctOn([billingEvents.projectId], { projectId: billingEvents.projectId, identifier: billingEvents.identifier, status: billingEvents.lastStatus, error: billingEvents.lastError })
          .from(billingEvents)
          .where(and(inArray(billingEvents.projectId, ids), inMonth(billingEvents.minute), eq(billingEvents.status, "failed")))
          .orderBy(billingEvents.projectId, sql`${billingEvents.minute} desc`),
    monthTotals(db, from, to),
  ]);
  const cell = (projectId: string, status: string): UnitsAndEvents => {
    const r = events.find((e) => e.projectId === projectId && e.status === status);
    return { units: Number(r?.units ?? 0), events: Number(r?.events ?? 0) };
  };
  const data = page.map((r) => {
    const failure = failures.find((f) => f.projectId === r.projectId);
    return {
      projectId: r.projectId,
      projectName: r.name,
      stripeCustomerId: r.customer,
      billableUnits: Number(r.units),
      sent: cell(r.projectId, "sent"),
      pending: cell(r.projectId, "pending"),
      failed: cell(r.projectId, "failed"),
      unsent: Number(unsent.find((u) => u.projectId === r.projectId)?.units ?? 0),
      lastFailure: failure ? { identifier: failure.identifier, status: failure.status, error: failure.error } : null,
    };
  });
  return { ...toPage([...data, ...rows.slice(options.limit)] as ProjectReconciliation[], offset, options.limit), month, totals };
}

async function monthTotals(db: Db, from: Date, to: Date) {
  const [[billable], events, [unsent]] = await Promise.all([
    db.select({ units: sql<string>`coalesce(sum(${usageBillable.units}), 0)` }).from(usageBillable).where(and(gte(usageBillable.minute, from), lt(usageBillable.minute, to))),
    db
      .select({ status: billingEvents.status, units: sql<string>`sum(${billingEvents.value})`, events: sql<string>`count(*)` })
      .from(billingEvents)
      .where(and(gte(billingEvents.minute, from), lt(billingEvents.minute, to)))
      .groupBy(billingEvents.status),
    db.select({ units: sql<string>`coalesce(sum(${billingMinutes.units} - ${billingMinutes.sentUnits}), 0)` }).from(billingMinutes).where(and(gte(billingMinutes.minute, from), lt(billingMinutes.minute, to))),
  ]);
  const by = (s: string) => {
    const r = events.find((e) => e.status === s);
    return { units: Number(r?.units ?? 0), events: Number(r?.events ?? 0) };
  };
  return { billableUnits: Number(billable.units), sent: by("sent"), pending: by("pending"), failed: by("failed"), unsent: Number(unsent.units) };
}
