// THE key verification used by every /api/v1 route, in the contract's order:
//   format + checksum (no I/O) → hash → lookup (cached) → revoked → expired / rotated out → owner suspended
//   → IP allowlist → scope.
// It is split in two so the gateway can tell "is this a valid key?" (authenticateKey: after it, the request is
// charged and metered to the key) from "may it do this, from here?" (authorizeKey).
import { eq } from "drizzle-orm";
import { databaseDown, noteDatabaseError } from "../db/availability";
import { getDatabase, type Db } from "../db/client";
import { apiKeys, keySecrets, projects, users } from "../db/schema";
import { env } from "../env";
import type { VerifiedKey } from "../gateway/types";
import { ApiError } from "../http/errors";
import { recordKeyLookup } from "../metrics/registry";
import { databaseUnavailable } from "../http/problem";
import { startInvalidationListener } from "./invalidation";
import { compileAllowlist } from "./ip-allowlist";
import { lookUpShared, readKeyCache, readStaleKey, writeKeyCache, type CachedKey } from "./key-cache";
import { creditSpecOf } from "../ratelimit/credit-periods";
import { recordKeyUse } from "./record-key-use";
import type { Scope } from "./scopes";
import { parseApiKeySecret } from "./secret";

export type VerifyOptions = {
  /** Defaults to the app's database (and then starts listening for other instances' invalidations). */
  db?: Db;
  now?: Date;
};

// The key behind a refusal (revoked, expired, disabled…), so the request log can file the request under it.
const refusedKeys = new WeakMap<object, { keyId: string; projectId: string }>();
export const keyOfRefusal = (error: unknown) => (typeof error === "object" && error !== null ? (refusedKeys.get(error) ?? null) : null);

/** Who the key is and whether it may be used at all. Throws 401 invalid/revoked/expired or 403 account_suspended. */
export async function authenticateKey(secret: string, options: VerifyOptions = {}): Promise<VerifiedKey> {
  const parsed = parseApiKeySecret(secret, env().KEY_PREFIX);
  if (!parsed) throw new ApiError("invalid_api_key", "The API key is malformed or its checksum does not match.");
  const now = options.now ?? new Date();
  const db = options.db ?? appDbOpened ?? (await appDb());

  const cached = readKeyCache(parsed.hash);
  let found: CachedKey | null;
  if (cached.hit) {
    found = cached.value;
    recordKeyLookup("hit");
  } else if (databaseDown()) found = staleOrUnavailable(parsed.hash, now);
  else {
    try {
      found = await lookUpShared(parsed.hash, cached.generation, () => lookUpKey(db, parsed.hash));
      recordKeyLookup("miss");
      writeKeyCache(parsed.hash, found, cached.generation);
    } catch (error) {
      if (!noteDatabaseError(error)) throw error;
      found = staleOrUnavailable(parsed.hash, now);
    }
  }

  if (!found) throw new ApiError("invalid_api_key", "This API key does not exist.");
  const refuse = (error: ApiError) => refusedKeys.set(error, { keyId: found.keyId, projectId: found.projectId }) && error;
  if (found.revokedAt) throw refuse(new ApiError("revoked_api_key", "This API key has been revoked."));
  if (found.keyExpiresAt && found.keyExpiresAt <= now) {
    throw refuse(new ApiError("expired_api_key", `This API key expired at ${found.keyExpiresAt.toISOString()}.`));
  }
  if (found.secretExpiresAt && found.secretExpiresAt <= now) {
    throw refuse(
      new ApiError(
        "expired_api_key",
        `This secret was replaced by a rotation; its grace period ended at ${found.secretExpiresAt.toISOString()}. Use the new secret.`,
      ),
    );
  }
  if (found.ownerSuspended) throw refuse(new ApiError("account_suspended", "The account that owns this API key is suspended."));
  if (found.disabledAt) throw refuse(new ApiError("key_disabled", "This API key is disabled. Its owner can enable it again in the portal."));

  recordKeyUse(db, found.keyId, found.secretId, now);
  const throttled = found.throttleTierId && found.throttledUntil && found.throttledUntil > now;
  return {
    keyId: found.keyId,
    projectId: found.projectId,
    ownerId: found.ownerId,
    secretId: found.secretId,
    scopes: found.scopes,
    environment: found.environment,
    ipAllowlist: found.ipAllowlist,
    tierId: throttled ? found.throttleTierId! : found.tierId,
    projectTierId: found.projectTierId,
    credits: found.credits,
    ownTierId: found.tierId,
    teamId: found.teamId,
    name: found.name,
    labels: found.labels,
    allowedOrigins: found.allowedOrigins,
    expiresAt: found.keyExpiresAt,
    kind: found.kind ?? "standard",
  };
}

/**
 * The database is unreachable: a key verified within KEY_CACHE_STALE_SECONDS is judged on what was read then (no
 * revocation can be written meanwhile); any other key → 503 service_unavailable (we cannot tell it is valid).
 */
function staleOrUnavailable(hash: string, now: Date): CachedKey {
  const stale = readStaleKey(hash, env().KEY_CACHE_STALE_SECONDS * 1000, now.getTime());
  recordKeyLookup(stale ? "stale" : "unavailable");
  if (stale) return stale;
  throw databaseUnavailable();
}

// Parsed allowlists, kept as long as the cached key's array lives.
const matchers = new WeakMap<readonly string[], (ip: string) => boolean>();

/** May this valid key be used from this IP, for this scope? Throws 403 ip_not_allowed / insufficient_scope. */
export function authorizeKey(key: VerifiedKey, request: { ip: string; scope?: Scope }): void {
  let allowed = matchers.get(key.ipAllowlist);
  if (!allowed) matchers.set(key.ipAllowlist, (allowed = compileAllowlist(key.ipAllowlist)));
  if (!allowed(request.ip)) {
    throw new ApiError("ip_not_allowed", `Requests from ${request.ip} are not allowed for this API key.`);
  }
  if (request.scope && !key.scopes.includes(request.scope)) {
    throw new ApiError("insufficient_scope", `This API key is missing the "${request.scope}" scope.`, {
      // RFC 6750 §3.1: the challenge names the error and the scope that would do.
      headers: { "WWW-Authenticate": `Bearer error="insufficient_scope", scope="${request.scope}"` },
      extra: { requiredScope: request.scope },
    });
  }
}

/** Both steps at once, for callers that do not meter (the gateway calls them separately). */
export async function verifyKey(
  secret: string,
  request: { ip: string; scope?: Scope } & VerifyOptions,
): Promise<VerifiedKey> {
  const key = await authenticateKey(secret, request);
  authorizeKey(key, request);
  return key;
}

/** The app's database once it is open and listened to: from then on a request does not wait a turn for it. */
let appDbOpened: Db | null = null;

async function appDb(): Promise<Db> {
  const database = await getDatabase();
  startInvalidationListener(database);
  return (appDbOpened = database.db);
}

async function lookUpKey(db: Db, hash: string): Promise<CachedKey | null> {
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      projectId: apiKeys.projectId,
      ownerId: projects.ownerId,
      secretId: keySecrets.id,
      scopes: apiKeys.scopes,
      environment: apiKeys.environment,
      ipAllowlist: apiKeys.ipAllowlist,
      tierId: apiKeys.tierId,
      projectTierId: projects.tierId,
      throttleTierId: apiKeys.throttleTierId,
      throttledUntil: apiKeys.throttledUntil,
      revokedAt: apiKeys.revokedAt,
      disabledAt: apiKeys.disabledAt,
      projectDeletedAt: projects.deletedAt,
      keyExpiresAt: apiKeys.expiresAt,
      secretExpiresAt: keySecrets.expiresAt,
      suspendedAt: users.suspendedAt,
      keyCredits: {
        creditsRemaining: apiKeys.creditsRemaining,
        creditsRefillAmount: apiKeys.creditsRefillAmount,
        creditsRefillInterval: apiKeys.creditsRefillInterval,
        creditsVersion: apiKeys.creditsVersion,
        creditsPeriodStart: apiKeys.creditsPeriodStart,
      },
      projectCredits: {
        creditsRemaining: projects.creditsRemaining,
        creditsRefillAmount: projects.creditsRefillAmount,
        creditsRefillInterval: projects.creditsRefillInterval,
        creditsVersion: projects.creditsVersion,
        creditsPeriodStart: projects.creditsPeriodStart,
      },
      teamId: projects.teamId,
      name: apiKeys.name,
      metadata: apiKeys.metadata,
      allowedOrigins: apiKeys.allowedOrigins,
      kind: apiKeys.kind,
    })
    .from(keySecrets)
    .innerJoin(apiKeys, eq(apiKeys.id, keySecrets.keyId))
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .innerJoin(users, eq(users.id, projects.ownerId))
    .where(eq(keySecrets.hash, hash));
  if (!row) return null;
  const { projectDeletedAt, suspendedAt, keyCredits, projectCredits, metadata, ...rest } = row;
  const credits = [creditSpecOf("key", rest.keyId, keyCredits), creditSpecOf("project", rest.projectId, projectCredits)].filter((c) => c !== null);
  return {
    ...rest,
    credits,
    labels: metadata?.labels ?? [],
    // A deleted project's keys are revoked with it; treat a straggler the same way.
    revokedAt: rest.revokedAt ?? projectDeletedAt,
    ownerSuspended: suspendedAt !== null,
  };
}
