// An admin links a project to a Stripe customer (or unlinks it): its closed minutes of billable usage are then sent
// to Stripe as meter events for that customer (CONTRACT §14). Minutes billed before keep the customer they went to.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";

export async function setProjectStripeCustomer(
  db: Db,
  options: { projectId: string; stripeCustomerId: string | null; actor: { id: string; email: string }; ip?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, options.projectId)).for("update");
    if (!project) throw new ApiError("not_found", "No such project.");
    if (project.stripeCustomerId === options.stripeCustomerId) return;
    await tx.update(projects).set({ stripeCustomerId: options.stripeCustomerId, updatedAt: new Date() }).where(eq(projects.id, project.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "project.billing_customer_change",
      target: { type: "project", id: project.id },
      projectId: project.id,
      ip: options.ip,
      metadata: { from: project.stripeCustomerId, to: options.stripeCustomerId, name: project.name },
    });
  });
}
