// THE decision behind every door (HOUSE-STYLE 16): may this key make this call now, and what does it cost?
//   credentials → key state → IP → origin → route → scope → tier → limits (the route's cost, in every window and the
//   pool, all or nothing)
// /api/v1 (with-api-key.ts), the gateway (proxy-request.ts) and POST /api/verify (lib/verify/) only adapt their input
// to this and its answer to their output. Nothing here knows about HTTP beyond the error codes.
import { getDb } from "../db/client";
import { ApiError, isApiError } from "../http/errors";
import { authenticateKey, authorizeKey } from "../keys/verify-key";
import { cachedTier, getTier } from "../ratelimit/get-tier";
import { limitUnauthenticated } from "../ratelimit/limit-unauthenticated";
import { chargeLimits, peekLimits } from "./limit";
import { originAllowed } from "./origins";
import type { LimitHeaders, VerifiedKey } from "./types";

/** What a call needs and costs: a catalog endpoint's scope, or a registered route's scopes, cost and tiers. */
export type CallRule = { scopes: readonly string[]; cost: number; tiers: readonly string[] | null };

export type DecideInput = {
  /** The presented secret; a door may throw its own 401 (missing key, key in the URL) from here. */
  credentials: () => string;
  ip: string;
  /** The request's Origin (or, without one, its Referer's origin); null when neither was sent. */
  origin: string | null;
  /** The matched route, or null: 404 route_not_found once the key is known valid. */
  rule: CallRule | null;
  /** Doors that face anonymous clients count failed authentications per IP (UNAUTHENTICATED_PER_MINUTE). */
  limitByIp: boolean;
  /** A door's own check between the tier and the limits (the gateway's body limit): refused there, never charged. */
  beforeCharge?: () => void;
  now: Date;
};

export type Decision =
  | { ok: true; key: VerifiedKey; limitHeaders: LimitHeaders; cost: number }
  /** `key` null: refused before the key was valid (never charged; `cause` is what verification threw). */
  | { ok: false; key: null; error: unknown; cause: unknown }
  /** Refused with a valid key: metered to it; `charged` false unless the limit step itself refused. */
  | { ok: false; key: VerifiedKey; error: unknown; limitHeaders: LimitHeaders };

export async function decide(input: DecideInput): Promise<Decision> {
  let key: VerifiedKey;
  try {
    key = await authenticateKey(input.credentials(), { now: input.now });
  } catch (cause) {
    const error = input.limitByIp && isApiError(cause) && cause.status === 401 ? ((await limitUnauthenticated(input.ip)) ?? cause) : cause;
    return { ok: false, key: null, error, cause };
  }
  const rule = input.rule;
  try {
    authorizeKey(key, { ip: input.ip });
    if (key.allowedOrigins.length > 0 && !originAllowed(key.allowedOrigins, input.origin)) {
      throw new ApiError(
        "origin_not_allowed",
        input.origin ? `Requests from ${input.origin.slice(0, 200)} are not allowed for this API key.` : "This API key only works from its allowed origins, and the request named none.",
      );
    }
    if (!rule) throw new ApiError("route_not_found", "No API route matches this method and path.");
    for (const scope of rule.scopes) {
      if (!key.scopes.includes(scope)) {
        throw new ApiError("insufficient_scope", `This API key is missing the "${scope}" scope.`, {
          headers: { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${rule.scopes.join(" ")}"` },
          extra: { requiredScope: scope },
        });
      }
    }
    if (rule.tiers) await assertTier(key, rule.tiers);
    input.beforeCharge?.();
  } catch (error) {
    // Refused before the limit step: the key's limit state without charging it.
    return { ok: false, key, error, limitHeaders: await peekLimits(key).catch(() => ({})) };
  }
  try {
    return { ok: true, key, limitHeaders: await chargeLimits(key, rule!.cost), cost: rule!.cost };
  } catch (error) {
    // A 429/503 carries its own copy of the headers.
    return { ok: false, key, error, limitHeaders: {} };
  }
}

async function assertTier(key: VerifiedKey, allowed: readonly string[]): Promise<void> {
  const tier = cachedTier(key.ownTierId) ?? (await getTier(await getDb(), key.ownTierId));
  if (tier && allowed.includes(tier.name)) return;
  const list = allowed.length === 0 ? "no tier" : allowed.length === 1 ? `the ${allowed[0]} tier` : `the ${allowed.slice(0, -1).join(", ")} and ${allowed.at(-1)} tiers`;
  throw new ApiError("tier_not_allowed", `This route is available to ${list}; this API key is on ${tier ? `the ${tier.name} tier` : "another tier"}.`, {
    extra: { allowedTiers: allowed },
  });
}
