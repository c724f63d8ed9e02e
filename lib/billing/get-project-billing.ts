// A project's billing for one month (CONTRACT §14): billable units per day and per API, and what became of them —
// sent to Stripe, pending, failed, or not yet in an event (an open minute, or no Stripe customer linked). The four add
// up to the billable units; the page and the API show that sum.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingEvents, billingMinutes, projects, usageBillable, type Project } from "../db/schema";
import { ApiError } from "../http/errors";
import { getProject } from "../projects/get-project";
import type { Actor } from "../teams/authorize";
import { billingMonth } from "./billing-month";

export type UnitsAndEvents = { units: number; events: number };

export type ProjectBilling = {
  projectId: string;
  month: string;
  /** Whether billable usage is sent to Stripe for this project (the customer id itself is for admins). */
  stripeLinked: boolean;
  billableUnits: number;
  days: { date: string; units: number }[];
  apis: { api: string; units: number }[];
  sent: UnitsAndEvents;
  pending: UnitsAndEvents;
  failed: UnitsAndEvents;
  /** Billable units not yet in a meter event. */
  unsent: number;
  /** The latest events, newest first. */
  recentEvents: { identifier: string; minute: string; value: number; status: "pending" | "sent" | "failed"; attempts: number; lastStatus: number | null; lastError: string | null }[];
};

const num = (v: unknown) => Number(v ?? 0);

/** `member` null: an admin tool (no team check). */
export async function getProjectBilling(db: Db, options: { projectId: string; member: Actor | null; month?: string }): Promise<ProjectBilling> {
  const project = options.member === null ? await anyProject(db, options.projectId) : await getProject(db, { projectId: options.projectId, member: options.member });
  const { month, from, to } = billingMonth(options.month);
  const inMonth = (column: typeof usageBillable.minute | typeof billingEvents.minute | typeof billingMinutes.minute) => and(gte(column, from), lt(column, to));
  const day = sql<string>`to_char(${usageBillable.minute} at time zone 'UTC', 'YYYY-MM-DD')`;
  const [days, apis, events, unsent, recent] = await Promise.all([
    db
      .select({ date: day, units: sql<string>`sum(${usageBillable.units})` })
      .from(usageBillable)
      .where(and(eq(usageBillable.projectId, project.id), inMonth(usageBillable.minute)))
      .groupBy(day)
      .orderBy(day),
    db
      .select({ api: usageBillable.api, units: sql<string>`sum(${usageBillable.units})` })
      .from(usageBillable)
      .where(and(eq(usageBillable.projectId, project.id), inMonth(usageBillable.minute)))
      .groupBy(usageBillable.api)
      .orderBy(sql`sum(${usageBillable.units}) desc`, usageBillable.api),
    db
      .select({ status: billingEvents.status, units: sql<string>`sum(${billingEvents.value})`, events: sql<string>`count(*)` })
      .from(billingEvents)
      .where(and(eq(billingEvents.projectId, project.id), inMonth(billingEvents.minute)))
      .groupBy(billingEvents.status),
    db
      .select({ units: sql<string>`coalesce(sum(${billingMinutes.units} - ${billingMinutes.sentUnits}), 0)` })
      .from(billingMinutes)
      .where(and(eq(billingMinutes.projectId, project.id), inMonth(billingMinutes.minute))),
    db
      .select()
      .from(billingEvents)
      .where(and(eq(billingEvents.projectId, project.id), inMonth(billingEvents.minute)))
      .orderBy(sql`${billingEvents.minute} desc`, sql`${billingEvents.identifier} desc`)
      .limit(20),
  ]);
  const byStatus = (status: string): UnitsAndEvents => {
    const row = events.find((e) => e.status === status);
    return { units: num(row?.units), events: num(row?.events) };
  };
  return {
    projectId: project.id,
    month,
    stripeLinked: project.stripeCustomerId !== null,
    billableUnits: days.reduce((s, d) => s + num(d.units), 0),
    days: days.map((d) => ({ date: d.date, units: num(d.units) })),
    apis: apis.map((a) => ({ api: a.api, units: num(a.units) })),
    sent: byStatus("sent"),
    pending: byStatus("pending"),
    failed: byStatus("failed"),
    unsent: num(unsent[0]?.units),
    recentEvents: recent.map((e) => ({
      identifier: e.identifier,
      minute: e.minute.toISOString(),
      value: e.value,
      status: e.status,
      attempts: e.attempts,
      lastStatus: e.lastStatus,
      lastError: e.lastError,
    })),
  };
}

async function anyProject(db: Db, projectId: string): Promise<Project> {
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new ApiError("not_found", "No such project.");
  return project;
}
