// The whole data model. Migrations in drizzle/ are generated from this file and committed.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
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
    defaultTierId: text("default_tier_id")
      .notNull()
      .default("tier_free")
      .references(() => tiers.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Deleted projects keep their rows (usage and audit stay meaningful); every key is revoked. */
    deletedAt: ts("deleted_at"),
  },
  (t) => [index("projects_owner_idx").on(t.ownerId)],
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("api_keys_project_idx").on(t.projectId), index("api_keys_tier_idx").on(t.tierId)],
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
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    expiresAt: ts("expires_at"),
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
  (t) => [primaryKey({ columns: [t.projectId, t.sku] })],
);

/** Small admin-editable settings (e.g. the zombie-key threshold). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

export type User = typeof users.$inferSelect;
export type Tier = typeof tiers.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type KeySecret = typeof keySecrets.$inferSelect;
export type ManagementToken = typeof managementTokens.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type Product = typeof products.$inferSelect;
