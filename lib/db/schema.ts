// The whole data model. Migrations in drizzle/ are generated from this file and committed.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () => ts("updated_at").notNull().defaultNow();
/**
 * Credits (CONTRACT §14) of a key or a project: null remaining = no credits. PostgreSQL holds the settings and a copy
 * of the balance; the limiter store holds the live balance (lib/ratelimit/credit-periods.ts, README "Credits").
 * `credits_version` goes up with every admin change of the settings; `credits_period_start` is the refill period the
 * copied balance belongs to.
 */
const creditColumns = () => ({
  creditsRemaining: bigint("credits_remaining", { mode: "number" }),
  creditsRefillAmount: bigint("credits_refill_amount", { mode: "number" }),
  creditsRefillInterval: text("credits_refill_interval", { enum: ["day", "month"] }),
  creditsVersion: integer("credits_version").notNull().default(0),
  creditsPeriodStart: ts("credits_period_start"),
});

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Lower-cased and trimmed before it is stored. */
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["developer", "admin"] }).notNull().default("developer"),
    suspendedAt: ts("suspended_at"),
    /** Set when the owner of the address opened a verification link; ADMIN_EMAILS promotes only verified addresses. */
    emailVerifiedAt: ts("email_verified_at"),
    /** TOTP secret (sealed with a key derived from AUTH_SECRET), set at 2FA setup; active once totpEnabledAt is set. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: ts("totp_enabled_at"),
    /** Last TOTP time step accepted, so one code cannot be replayed within its window. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    passwordChangedAt: ts("password_changed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export const tiers = pgTable(
  "tiers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** null means unlimited. */
    burstPerSecond: integer("burst_per_second"),
    perMinute: integer("per_minute"),
    perDay: integer("per_day"),
    perMonth: bigint("per_month", { mode: "number" }),
    /** Spike circuit breaker: "flag" only records a spike; "throttle" moves the key to spikeThrottleTierId for a while. */
    spikeAction: text("spike_action", { enum: ["flag", "throttle"] }).notNull().default("flag"),
    spikeThrottleTierId: text("spike_throttle_tier_id"),
    spikeThrottleSeconds: integer("spike_throttle_seconds").notNull().default(3600),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tiers_name_key").on(t.name)],
);

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** The team that owns the project (part two); every member's role in it decides what they may do. */
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    defaultTierId: text("default_tier_id")
      .notNull()
      .default("tier_free")
      .references(() => tiers.id),
    /** The project pool: this tier's minute/day/month limits also apply to the sum of all the project's keys. */
    tierId: text("tier_id")
      .notNull()
      .default("tier_free")
      .references(() => tiers.id),
    /** What a confirmed leak report does to the key: revoke it at once (default) or only notify. */
    leakAction: text("leak_action", { enum: ["revoke", "notify"] }).notNull().default("revoke"),
    /** The Stripe customer its billable usage is reported for (CONTRACT §14); null: not billed through Stripe. */
    stripeCustomerId: text("stripe_customer_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Deleted projects keep their rows (usage and audit stay meaningful); every key is revoked. */
    deletedAt: ts("deleted_at"),
    ...creditColumns(),
  },
  (t) => [index("projects_owner_idx").on(t.ownerId), index("projects_team_idx").on(t.teamId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    name: text("name").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    environment: text("environment", { enum: ["live", "test"] }).notNull().default("live"),
    tierId: text("tier_id")
      .notNull()
      .references(() => tiers.id),
    expiresAt: ts("expires_at"),
    /** CIDRs (IPv4 or IPv6); empty means any address. */
    ipAllowlist: text("ip_allowlist").array().notNull().default(sql`'{}'::text[]`),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
    createdBy: text("created_by").references(() => users.id),
    /** Spike circuit breaker state: while throttledUntil is in the future the key uses throttleTierId. */
    throttleTierId: text("throttle_tier_id").references(() => tiers.id),
    throttledUntil: ts("throttled_until"),
    spikeDetectedAt: ts("spike_detected_at"),
    /** Reversibly switched off (403 key_disabled) while set; unlike revocation it can be undone. */
    disabledAt: ts("disabled_at"),
    /** Where a leak report (GitHub secret scanning or a public report) found the key, and when. */
    leakedAt: ts("leaked_at"),
    leakedUrl: text("leaked_url"),
    /** Free-form notes and labels, editable in the portal and the management API. */
    metadata: jsonb("metadata").$type<{ notes?: string; labels?: string[] }>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ...creditColumns(),
    /** Browser key: the origins (`https://shop.example`, `https://*.shop.example`) it may be used from; empty = any. */
    allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
    /**
     * "console": minted by the docs' try-it console for one developer (createdBy) and project, limited to one
     * operation's scopes, expiring 15 minutes after its last use (lib/console). Not counted by the active-key cap,
     * not listed among the project's keys, labelled "console" in usage and the request log.
     */
    kind: text("kind", { enum: ["standard", "console"] }).notNull().default("standard"),
    /** A console key's secret, sealed (AES-256-GCM under AUTH_SECRET) so the server can reuse it; never sent out. */
    consoleSecret: text("console_secret"),
  },
  (t) => [
    index("api_keys_project_idx").on(t.projectId),
    index("api_keys_tier_idx").on(t.tierId),
    index("api_keys_console_idx").on(t.projectId, t.createdBy).where(sql`${t.kind} = 'console'`),
  ],
);

/** A key has one current secret, and during a rotation also the previous one until its grace deadline. */
export const keySecrets = pgTable(
  "key_secrets",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id),
    /** SHA-256 (hex) of the whole secret. */
    hash: text("hash").notNull(),
    /** prefix, env and the first 4 body characters, e.g. "kp_live_a1B2". */
    start: text("start").notNull(),
    last4: text("last4").notNull(),
    createdAt: createdAt(),
    /** Set when a rotation replaced this secret. */
    supersededAt: ts("superseded_at"),
    /** For a superseded secret: the end of its grace window. */
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [uniqueIndex("key_secrets_hash_key").on(t.hash), index("key_secrets_key_idx").on(t.keyId)],
);

export const managementTokens = pgTable(
  "management_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    start: text("start").notNull(),
    last4: text("last4").notNull(),
    /** "read" tokens can never change anything (403 forbidden on every write). */
    access: text("access", { enum: ["read", "write"] }).notNull().default("write"),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    expiresAt: ts("expires_at"),
    /** Set once the "expires in a week" mail was queued, so it is sent once. */
    expiryWarnedAt: ts("expiry_warned_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("management_tokens_hash_key").on(t.hash), index("management_tokens_user_idx").on(t.userId)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: text("actor_id"),
    /** Kept as written at the time, so the log reads the same after an account changes. */
    actorEmail: text("actor_email"),
    /** "admin" when a site admin acted: non-admins then see "Keyport admin" and no IP. */
    actorRole: text("actor_role"),
    /** The team the event belongs to, when it belongs to one (team activity feed). */
    teamId: text("team_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** The project the event belongs to, when it belongs to one (for the project activity feed). */
    projectId: text("project_id"),
    ip: text("ip"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_actor_idx").on(t.actorId, t.at),
    index("audit_events_action_idx").on(t.action, t.at),
    index("audit_events_project_idx").on(t.projectId, t.at),
    index("audit_events_target_idx").on(t.targetId, t.at),
    /** The team audit trail (GET …/teams/{teamId}/audit), newest first by id. */
    index("audit_events_team_idx").on(t.teamId, t.id),
  ],
);

/**
 * Usage rollups, written in batches by the metering buffer. Each flushed minute is added to its minute,
 * hour and day rows at once, so charts over long ranges read few rows.
 */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    keyId: text("key_id").notNull(),
    projectId: text("project_id").notNull(),
    granularity: text("granularity", { enum: ["minute", "hour", "day"] }).notNull(),
    bucket: ts("bucket").notNull(),
    /** Route pattern, e.g. "GET /api/v1/products/{sku}". */
    endpoint: text("endpoint").notNull(),
    total: integer("total").notNull().default(0),
    success: integer("success").notNull().default(0),
    clientErrors: integer("client_errors").notNull().default(0),
    rateLimited: integer("rate_limited").notNull().default(0),
    serverErrors: integer("server_errors").notNull().default(0),
    latencySumMs: bigint("latency_sum_ms", { mode: "number" }).notNull().default(0),
    /** Counts per latency bucket (bounds in lib/usage), so percentiles can be merged across rows. */
    latencyHistogram: integer("latency_histogram").array().notNull().default(sql`'{}'::integer[]`),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.granularity, t.bucket, t.endpoint] }),
    index("usage_rollups_project_idx").on(t.projectId, t.granularity, t.bucket),
    index("usage_rollups_bucket_idx").on(t.granularity, t.bucket),
  ],
);

/**
 * usage_rollups summed over keys: one row per project, granularity, bucket and endpoint. Written by the same
 * statement batch (and transaction) as usage_rollups, so project and all-project charts read a handful of rows
 * instead of every key's.
 */
export const usageProjectRollups = pgTable(
  "usage_project_rollups",
  {
    projectId: text("project_id").notNull(),
    granularity: text("granularity", { enum: ["minute", "hour", "day"] }).notNull(),
    bucket: ts("bucket").notNull(),
    endpoint: text("endpoint").notNull(),
    total: integer("total").notNull().default(0),
    success: integer("success").notNull().default(0),
    clientErrors: integer("client_errors").notNull().default(0),
    rateLimited: integer("rate_limited").notNull().default(0),
    serverErrors: integer("server_errors").notNull().default(0),
    latencySumMs: bigint("latency_sum_ms", { mode: "number" }).notNull().default(0),
    latencyHistogram: integer("latency_histogram").array().notNull().default(sql`'{}'::integer[]`),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.granularity, t.bucket, t.endpoint] }),
    index("usage_project_rollups_bucket_idx").on(t.granularity, t.bucket),
  ],
);

/**
 * usage_rollups summed over endpoints: one row per key, granularity and bucket (counts only, no latency). Per-key
 * rankings, quotas and sparklines across thousands of keys read this instead of the endpoint split.
 */
export const usageKeyTotals = pgTable(
  "usage_key_totals",
  {
    keyId: text("key_id").notNull(),
    projectId: text("project_id").notNull(),
    granularity: text("granularity", { enum: ["minute", "hour", "day"] }).notNull(),
    bucket: ts("bucket").notNull(),
    total: integer("total").notNull().default(0),
    success: integer("success").notNull().default(0),
    clientErrors: integer("client_errors").notNull().default(0),
    rateLimited: integer("rate_limited").notNull().default(0),
    serverErrors: integer("server_errors").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.keyId, t.granularity, t.bucket] }),
    // Covering indexes: the analytics that range over every key (spikes, insights, rankings, near quota) read a time
    // range across thousands of keys, whose rows are scattered over the heap. With every column they read in the
    // index they are index-only scans: 5,000 keys × 30 days, spike detection went from ~520 to ~70 ms. The price is
    // that the flusher's updates of these rows are not HOT (the counts are indexed).
    index("usage_key_totals_project_idx").on(t.projectId, t.granularity, t.bucket, t.keyId, t.total, t.success, t.clientErrors, t.rateLimited, t.serverErrors),
    index("usage_key_totals_bucket_idx").on(t.granularity, t.bucket, t.keyId, t.projectId, t.total, t.success, t.clientErrors, t.rateLimited, t.serverErrors),
  ],
);

/**
 * Usage journal segments already added to usage_rollups (lib/usage): whoever inserts a segment's row writes its counts,
 * in the same transaction, so a segment flushed by its owner and also recovered from Redis by another instance is
 * counted once. Rows older than a week are pruned (a journal is recovered within seconds or not at all).
 */
export const usageJournalApplied = pgTable(
  "usage_journal_applied",
  {
    journalKey: text("journal_key").primaryKey(),
    appliedAt: ts("applied_at").notNull().defaultNow(),
  },
  (t) => [index("usage_journal_applied_at_idx").on(t.appliedAt)],
);

/** Failed sign-in counters (per account and per IP) and sign-up attempt counters (per IP), shared by every instance. */
export const signInThrottles = pgTable("sign_in_throttles", {
  /** "email:<address>" or "ip:<address>" (failed sign-ins); "signup:<address>" (sign-up attempts, failures = count). */
  subject: text("subject").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: ts("window_started_at").notNull().defaultNow(),
  lockedUntil: ts("locked_until"),
});

/** Sample API: one catalog per project. */
export const products = pgTable(
  "products",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    /** "live" keys see the live catalog, "test" keys the project's sandbox catalog; never each other's. */
    environment: text("environment", { enum: ["live", "test"] }).notNull().default("live"),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    price: integer("price").notNull(),
    currency: text("currency").notNull(),
    stock: integer("stock").notNull().default(0),
    images: text("images").array().notNull().default(sql`'{}'::text[]`),
    category: text("category"),
    description: text("description"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.environment, t.sku] })],
);

/** Small admin-editable settings (e.g. the zombie-key threshold). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------------------------------------------------------
// Part two: accounts, teams, events, request log.

/** Server-side sessions: the cookie carries only an id whose hash is looked up here, so sign-out ends it everywhere. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** SHA-256 (hex) of the session token in the cookie. */
    tokenHash: text("token_hash").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    /** How the session was started: "password", or the single-sign-on provider id ("github", "google", "oidc"). */
    provider: text("provider").notNull().default("password"),
  },
  (t) => [uniqueIndex("sessions_token_hash_key").on(t.tokenHash), index("sessions_user_idx").on(t.userId)],
);

/** Single-use links mailed to a user: email verification (24 h) and password reset (1 h). Only hashes are stored. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    purpose: text("purpose", { enum: ["verify_email", "reset_password"] }).notNull(),
    /** The address the link was sent to; a verification is only good for the address the account still has. */
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [uniqueIndex("email_tokens_hash_key").on(t.tokenHash), index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

/** Two-factor recovery codes: hashed, each usable once. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    createdAt: createdAt(),
    usedAt: ts("used_at"),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/** Outgoing mail, written in the same transaction as the change that caused it and sent by the mail worker. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** What the mail is about (e.g. "verify_email", "key.leaked"), for logs and tests. */
    kind: text("kind").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt)],
);

/** A team owns projects; every user has a personal one made at sign-up. */
export const teams = pgTable(
  "teams",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The user whose personal team this is (null for teams made on demand). */
    personalOf: text("personal_of"),
    /** Members' access to the team's objects needs a session started through the OIDC provider (CONTRACT §15). */
    requireSso: boolean("require_sso").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [uniqueIndex("teams_personal_key").on(t.personalOf)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: ["owner", "admin", "developer", "viewer"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** Invitations by email: single use, 7 days, only the invited address may accept. Only the hash is stored. */
export const teamInvitations = pgTable(
  "team_invitations",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "developer", "viewer"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("team_invitations_hash_key").on(t.tokenHash), index("team_invitations_team_idx").on(t.teamId)],
);

/** Webhook endpoints per project (Standard Webhooks). During a secret rotation the previous secret also signs. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    url: text("url").notNull(),
    description: text("description"),
    /** Event types, or ["*"] for all. */
    events: text("events").array().notNull().default(sql`'{*}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** "whsec_…" — needed in plaintext to sign. */
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: ts("previous_secret_expires_at"),
    /** Failures in a row; a long run disables the endpoint (and mails the team). */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledReason: text("disabled_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("webhook_endpoints_project_idx").on(t.projectId)],
);

/** Events, stored in the same transaction as the change that caused them (the outbox). */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    /** Set once the fan-out to endpoints, notifications and mail has been written. */
    dispatchedAt: ts("dispatched_at"),
  },
  (t) => [index("events_project_idx").on(t.projectId, t.createdAt), index("events_undispatched_idx").on(t.dispatchedAt, t.createdAt)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    responseStatus: integer("response_status"),
    /** First bytes of the last response (or the error), for the delivery log. */
    responseExcerpt: text("response_excerpt"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    completedAt: ts("completed_at"),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    // The delivery worker claims per endpoint (each up to its own cap): the pending rows of one endpoint, oldest first.
    index("webhook_deliveries_endpoint_pending_idx").on(t.endpointId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** A header as sent or received, in order (a name may repeat). */
export type HeaderPair = { name: string; value: string };

/**
 * One HTTP attempt of a delivery, as the delivery log's detail shows it (what was sent, what came back). Written in the
 * same statement or transaction as the attempt's outcome on the delivery row, and deleted with its delivery.
 */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    /** 1, 2, …: the delivery's attempt counter when this attempt was claimed. */
    attempt: integer("attempt").notNull(),
    startedAt: ts("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    url: text("url").notNull(),
    /** Null when nothing was sent (endpoint deleted or disabled, URL refused before connecting). */
    requestHeaders: jsonb("request_headers").$type<HeaderPair[]>(),
    /** Null: the event's payload (eventPayload), which every attempt sends byte for byte; stored only if it differed. */
    requestBody: text("request_body"),
    responseStatus: integer("response_status"),
    /** Bounded (lib/webhooks/excerpt.ts); null when no answer came. */
    responseHeaders: jsonb("response_headers").$type<HeaderPair[]>(),
    responseHeadersTruncated: boolean("response_headers_truncated").notNull().default(false),
    /** The first 4 KiB of the answer: UTF-8 text cut on a character boundary, or base64 of the bytes when binary. */
    responseBody: text("response_body"),
    responseBodyEncoding: text("response_body_encoding", { enum: ["utf8", "base64"] }),
    responseBodyTruncated: boolean("response_body_truncated").notNull().default(false),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/** In-portal notifications (the bell), one row per recipient. */
export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    link: text("link"),
    createdAt: createdAt(),
    readAt: ts("read_at"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt)],
);

/** Per-user opt-outs of notification emails by kind (no row = on). */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").notNull(),
    email: boolean("email").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** "Announce once" marks (e.g. quota.warning per key per day window): whoever inserts the mark announces. */
export const onceMarks = pgTable(
  "once_marks",
  {
    mark: text("mark").primaryKey(),
    createdAt: createdAt(),
  },
  (t) => [index("once_marks_created_idx").on(t.createdAt)],
);

/**
 * Per-request log: every non-2xx request and a sample of successes, written in batches, kept 7 days. Partitioned by
 * day on `at` (drizzle/0007, lib/db/partitions.ts), so it has no primary key: a partitioned table's key would have to
 * hold `at`, and ids come from a sequence and are never looked up alone.
 */
export const requestLog = pgTable(
  "request_log",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    at: ts("at").notNull(),
    requestId: text("request_id").notNull(),
    keyId: text("key_id"),
    projectId: text("project_id"),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    code: text("code"),
    latencyMs: integer("latency_ms").notNull().default(0),
    ip: text("ip"),
  },
  (t) => [
    index("request_log_project_idx").on(t.projectId, t.at),
    index("request_log_key_idx").on(t.keyId, t.at),
    index("request_log_request_id_idx").on(t.requestId),
    index("request_log_at_idx").on(t.at),
  ],
);

/**
 * Billable units (CONTRACT §14) per project, API and minute: the charged cost of every request that passed the whole
 * pipeline and was answered below 500. Written by the usage flusher in the same transaction as usage_rollups, from
 * the metering path's own counts (never recomputed from the request log).
 */
export const usageBillable = pgTable(
  "usage_billable",
  {
    projectId: text("project_id").notNull(),
    api: text("api").notNull(),
    minute: ts("minute").notNull(),
    units: bigint("units", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.minute, t.api] }), index("usage_billable_minute_idx").on(t.minute)],
);

/**
 * The billing outbox: one row per (project, minute) with billable units, added to in the same transaction as the
 * usage it bills. `sentUnits` is how much of it has been turned into meter events; a row with units > sent_units
 * whose minute has closed is what the billing worker picks up (late usage reopens a row: a correction event).
 */
export const billingMinutes = pgTable(
  "billing_minutes",
  {
    projectId: text("project_id").notNull(),
    minute: ts("minute").notNull(),
    units: bigint("units", { mode: "number" }).notNull().default(0),
    sentUnits: bigint("sent_units", { mode: "number" }).notNull().default(0),
    /** How many meter events this minute has had (the next one's identifier gets `_<n>` when n > 0). */
    events: integer("events").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.minute] }),
    index("billing_minutes_unsent_idx").on(t.minute).where(sql`units > sent_units`),
  ],
);

/** One Stripe meter event: created from billing_minutes, sent (and retried) by the billing worker. */
export const billingEvents = pgTable(
  "billing_events",
  {
    id: text("id").primaryKey(),
    /** `kp_<projectId>_<yyyymmddhhmm>`, then `_<n>` for each further event of the same minute; the Idempotency-Key. */
    identifier: text("identifier").notNull().unique(),
    projectId: text("project_id").notNull(),
    minute: ts("minute").notNull(),
    customerId: text("customer_id").notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    /** The last answer that was not a success: HTTP status (null: no answer) and the start of its body or error. */
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("billing_events_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("billing_events_project_idx").on(t.projectId, t.minute),
  ],
);

/**
 * An external identity (GitHub, Google, the OIDC provider) that signs in to an account. `subject` is the provider's
 * stable id for the person (GitHub user id, the ID token's `sub`); the email is what the provider said at the last
 * sign-in. lastSignInAt backs team SSO's 24-hour rule for tokens.
 */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    subject: text("subject").notNull(),
    email: text("email"),
    createdAt: createdAt(),
    lastSignInAt: ts("last_sign_in_at"),
  },
  (t) => [uniqueIndex("user_identities_provider_subject_key").on(t.provider, t.subject), index("user_identities_user_idx").on(t.userId)],
);

export type User = typeof users.$inferSelect;
export type Tier = typeof tiers.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type KeySecret = typeof keySecrets.$inferSelect;
export type ManagementToken = typeof managementTokens.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type TeamRole = TeamMember["role"];
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;
export type StoredEvent = typeof events.$inferSelect;
export type BillingEvent = typeof billingEvents.$inferSelect;

// ── The provider's own APIs (CONTRACT §13): registry, routes, forward secrets, service tokens ──

/** An API registered by a site admin, reached through the gateway at /gw/{slug}/…. */
export const apis = pgTable(
  "apis",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    upstreamUrl: text("upstream_url").notNull(),
    /** The scopes this API defines (names unique across all APIs and the catalog). */
    scopes: jsonb("scopes").$type<{ name: string; description: string }[]>().notNull().default(sql`'[]'::jsonb`),
    timeoutMs: integer("timeout_ms").notNull().default(30_000),
    maxBodyBytes: integer("max_body_bytes").notNull(),
    /** The imported OpenAPI document, served at /api/apis/{slug}/openapi.json (null when routes were given by hand). */
    openapi: jsonb("openapi").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("apis_slug_key").on(t.slug)],
);

/** One route of an API: method (or `*`) and OpenAPI path template, with what calling it needs and costs. */
export const apiRoutes = pgTable(
  "api_routes",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    method: text("method").notNull(),
    path: text("path").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    cost: integer("cost").notNull().default(1),
    /** Tier names that may call the route; null = every tier. */
    tiers: text("tiers").array(),
    /** From the OpenAPI operation, for the docs. */
    operationId: text("operation_id"),
    summary: text("summary"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("api_routes_api_idx").on(t.apiId), uniqueIndex("api_routes_api_method_path_key").on(t.apiId, t.method, t.path)],
);

/**
 * The secret the gateway signs upstream requests with (`whsec_…`). It must be readable to sign, so it is stored as
 * is; after a rotation the previous one keeps signing beside the new one until expiresAt (24 h).
 */
export const apiForwardSecrets = pgTable(
  "api_forward_secrets",
  {
    id: text("id").primaryKey(),
    apiId: text("api_id")
      .notNull()
      .references(() => apis.id, { onDelete: "cascade" }),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at"),
  },
  (t) => [index("api_forward_secrets_api_idx").on(t.apiId)],
);

/** Verify API credentials (`<prefix>s_<body><check>`), created by site admins; only the hash is kept. */
export const serviceTokens = pgTable(
  "service_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    start: text("start").notNull(),
    last4: text("last4").notNull(),
    /** API slugs this token may verify for; null = every API. */
    apis: text("apis").array(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    deletedAt: ts("deleted_at"),
  },
  (t) => [uniqueIndex("service_tokens_hash_key").on(t.hash)],
);

export type Api = typeof apis.$inferSelect;
export type ApiRoute = typeof apiRoutes.$inferSelect;
export type ServiceToken = typeof serviceTokens.$inferSelect;
export type UserIdentity = typeof userIdentities.$inferSelect;
