// PATCH /api/manage/v1/admin/projects/{projectId} — set the project's pool tier, the tier its new keys get, its credits
// and/or its Stripe customer (admin)
import { z } from "zod";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { setProjectDefaultTier } from "@/lib/admin/set-project-default-tier";
import { setProjectTier } from "@/lib/admin/set-project-tier";
import { setProjectStripeCustomer } from "@/lib/admin/set-project-stripe-customer";
import { getAdminProject } from "@/lib/admin/search-projects";
import { creditsInput } from "@/lib/credits/credit-input";
import { setCredits } from "@/lib/credits/set-credits";

type Params = { projectId: string };
const tierRef = z.string().trim().min(1).max(100);
/** Stripe customer ids look like cus_…; null unlinks. */
const stripeCustomer = z.string().regex(/^cus_[A-Za-z0-9]{1,60}$/, "must be a Stripe customer id (cus_…)").nullable();
const body = z
  .strictObject({ tier: tierRef.optional(), defaultTier: tierRef.optional(), credits: creditsInput.optional(), stripeCustomerId: stripeCustomer.optional() })
  .refine((b) => b.tier !== undefined || b.defaultTier !== undefined || b.credits !== undefined || b.stripeCustomerId !== undefined, {
    message: "send tier, defaultTier, credits and/or stripeCustomerId",
  });

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { tier, defaultTier, credits, stripeCustomerId } = await parseBody(request, body);
  const who = { projectId: params.projectId, actor: user, ip };
  if (tier !== undefined) await setProjectTier(db, { ...who, tier });
  if (defaultTier !== undefined) await setProjectDefaultTier(db, { ...who, defaultTier });
  if (credits !== undefined) await setCredits(db, { owner: "project", id: params.projectId, credits, actor: user, ip });
  if (stripeCustomerId !== undefined) await setProjectStripeCustomer(db, { ...who, stripeCustomerId });
  return json({ project: (await getAdminProject(db, params.projectId))! });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
