// The only module that reads process.env: parses it once with zod and fails with one line naming the variable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must start with ${protocols.join(" or ")}`,
    });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_URL: optionalUrl(["postgres://", "postgresql://"]),
    REDIS_URL: optionalUrl(["redis://", "rediss://"]),
    UPSTASH_REDIS_REST_URL: optionalUrl(["http://", "https://"]),
    UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
    /** Namespace for every Redis key Keyport writes (tests give each run its own). */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:_-]{1,64}$/, "must be 1–64 characters of letters, digits, ':', '_' or '-'")
      .default("keyport"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    ADMIN_EMAILS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.email("must be a comma-separated list of email addresses"))),
    KEY_PREFIX: z.string().regex(/^[a-z]{2,8}$/, "must be 2–8 lowercase letters").default("kp"),
    TRUSTED_PROXIES: z.coerce.number().int("must be a whole number").min(0).max(10).default(0),
    RATE_LIMIT_FAILURE_MODE: z.enum(["open", "closed"]).default("closed"),
    /**
     * Tests only: shifts this process's idea of the time for the limiter by this many ms (a clock-skew drill without
     * libfaketime). The store's clock still decides every window; this proves it.
     */
    LIMITER_TEST_CLOCK_SKEW_MS: z.coerce.number().int().min(-86_400_000).max(86_400_000).default(0),
    /** Path to a JSON file shaped like GitHub's secret-scanning public keys document (leaked-key intake). */
    SECRET_SCANNING_PUBLIC_KEYS: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === "" ? undefined : v)),
    /** true → webhook URLs may be plain http and point at loopback/private addresses (development and tests only). */
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(["true", "false", "1", "0", ""])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    /** Sign-up attempts (POST /api/signup and the sign-up form) allowed per client IP per hour. */
    SIGNUP_ATTEMPTS_PER_HOUR: z.coerce.number().int("must be a whole number").min(1).max(1_000_000).default(10),
    /** Caps (409 limit_reached naming the cap): live projects per team, live management tokens per user. */
    MAX_PROJECTS_PER_TEAM: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(10),
    MAX_TOKENS_PER_USER: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(10),
    /** Cap: keys of one project that are not revoked (revoking one frees its place). */
    MAX_ACTIVE_KEYS_PER_PROJECT: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(25),
    /** Management API writes (POST/PUT/PATCH/DELETE) allowed per user or token per minute (then 429 rate_limited). */
    MANAGE_WRITES_PER_MINUTE: z.coerce.number().int("must be a whole number").min(1).max(1_000_000).default(120),
    /** Retention: older rows are deleted in small batches by a background job. */
    USAGE_MINUTE_RETENTION_DAYS: z.coerce.number().int("must be a whole number").min(1).max(3_650).default(7),
    USAGE_HOUR_RETENTION_DAYS: z.coerce.number().int("must be a whole number").min(1).max(3_650).default(400),
    AUDIT_RETENTION_DAYS: z.coerce.number().int("must be a whole number").min(1).max(3_650).default(400),
    /** Per client IP: /api/v1 requests without a valid key allowed per minute (then 429 rate_limited). */
    UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int("must be a whole number").min(1).max(1_000_000).default(100),
    /** While the database is unreachable, keys verified within this many seconds keep working (0: never). */
    KEY_CACHE_STALE_SECONDS: z.coerce.number().int("must be a whole number").min(0).max(86_400).default(300),
    /** Longest graceful drain after SIGTERM, flush included. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int("must be a whole number").min(1_000).max(600_000).default(10_000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Where the embedded database and the generated dev secret live. */
    DATA_DIR: z.string().default("./.data"),
    /** The public base URL (links in mails, Auth.js origin). Unset → http://localhost:$PORT. */
    APP_URL: optionalUrl(["http://", "https://"]).refine((v) => v === undefined || URL.canParse(v), { message: "must be a URL" }),
    /** smtp://user:pass@host:port or smtps://… → mail through nodemailer; unset → .eml files in DATA_DIR/outbox. */
    SMTP_URL: optionalUrl(["smtp://", "smtps://"]),
    MAIL_FROM: z.string().trim().min(3).default("Keyport <no-reply@localhost>"),
    /** true → admin routes and pages answer 403 two_factor_required until the admin has TOTP enabled. */
    ADMIN_REQUIRE_2FA: z
      .enum(["true", "false", "1", "0", ""])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
    // ── Part three (CONTRACT, part three's configuration table) ──
    /** false → API upstreams on loopback/private addresses are refused (the webhook SSRF guard applies). */
    UPSTREAM_ALLOW_PRIVATE: z
      .enum(["true", "false", "1", "0", ""])
      .default("true")
      .transform((v) => v === "true" || v === "1" || v === ""),
    /** Default request-body limit of a registered API (each API may lower or raise it, at most 10 MiB). */
    GATEWAY_MAX_BODY_BYTES: z.coerce.number().int("must be a whole number").min(1).max(10 * 1024 * 1024).default(1_048_576),
    /** Set → billable usage is sent to Stripe Billing meters. */
    STRIPE_SECRET_KEY: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === "" ? undefined : v)),
    /** Where Stripe calls go (tests point it at a local server). */
    STRIPE_API_BASE: z
      .string()
      .trim()
      .default("https://api.stripe.com")
      .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { message: "must be an http(s) URL" }),
    STRIPE_METER_EVENT_NAME: z.string().trim().min(1).max(100).default("api_requests"),
    AUTH_GITHUB_ID: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_GITHUB_SECRET: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_GOOGLE_ID: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_GOOGLE_SECRET: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_OIDC_ISSUER: optionalUrl(["http://", "https://"]),
    AUTH_OIDC_ID: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_OIDC_SECRET: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    AUTH_OIDC_NAME: z.string().trim().min(1).max(60).default("SSO"),
    /** false → no password sign-up or sign-in (single-sign-on-only deployments); reset links are refused. */
    AUTH_PASSWORD: z
      .enum(["true", "false", "1", "0", ""])
      .default("true")
      .transform((v) => v === "true" || v === "1" || v === ""),
    /** Set → GET /metrics answers with Authorization: Bearer <METRICS_TOKEN>; unset → /metrics is 404. */
    METRICS_TOKEN: z.string().trim().optional().transform((v) => (v === "" ? undefined : v)),
    /** Set → traces are exported over OTLP/HTTP (the standard OpenTelemetry variables apply). */
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(["http://", "https://"]),
    /** Caps: teams a user owns (the personal team included); invitations sent per team per UTC day. */
    MAX_TEAMS_PER_USER: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(10),
    MAX_INVITATIONS_PER_TEAM_PER_DAY: z.coerce.number().int("must be a whole number").min(1).max(1_000_000).default(50),
    // ── Test hooks (never set in a deployment) ──
    /** Shifts this process's wall clock (Date) by this many ms, as a host with a wrong clock would (CONTRACT §18 tests). */
    KEYPORT_TEST_CLOCK_OFFSET_MS: z.coerce.number().int("must be a whole number").min(-86_400_000).max(86_400_000).default(0),
    /** 1 → test hooks such as KEYPORT_TEST_CLOCK_OFFSET_MS are honoured under NODE_ENV=production (integration tests). */
    KEYPORT_TEST_HOOKS: z
      .enum(["1", "0", ""])
      .default("")
      .transform((v) => v === "1"),
  })
  .superRefine((v, ctx) => {
    if (v.KEYPORT_TEST_CLOCK_OFFSET_MS !== 0 && v.NODE_ENV === "production" && !v.KEYPORT_TEST_HOOKS) {
      ctx.addIssue({ code: "custom", path: ["KEYPORT_TEST_CLOCK_OFFSET_MS"], message: "is a test hook: refused under NODE_ENV=production unless KEYPORT_TEST_HOOKS=1" });
    }
    if (v.NODE_ENV === "production" && !v.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required when NODE_ENV=production" });
    }
    for (const [a, b] of [
      ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
      ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"],
      ["AUTH_OIDC_ID", "AUTH_OIDC_SECRET"],
    ] as const) {
      if (Boolean(v[a]) !== Boolean(v[b])) {
        ctx.addIssue({ code: "custom", path: [v[a] ? b : a], message: "must be set together with its pair" });
      }
    }
    if (Boolean(v.AUTH_OIDC_ISSUER) !== Boolean(v.AUTH_OIDC_ID)) {
      ctx.addIssue({ code: "custom", path: [v.AUTH_OIDC_ISSUER ? "AUTH_OIDC_ID" : "AUTH_OIDC_ISSUER"], message: "must be set together with AUTH_OIDC_ISSUER/AUTH_OIDC_ID" });
    }
    if (Boolean(v.UPSTASH_REDIS_REST_URL) !== Boolean(v.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [v.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "must be set together with its pair",
      });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = "EnvError";
  }
}

/** Parses a given environment; pure, so tests pass their own object instead of faking process.env. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(String(issue.path[0] ?? "environment"), issue.message);
  }
  return result.data;
}

type Cache = { env?: Env };
const cache = ((globalThis as { __keyportEnv?: Cache }).__keyportEnv ??= {});

export function env(): Env {
  return (cache.env ??= parseEnv(process.env));
}

export type LimiterMode = "redis" | "upstash" | "memory";

export function limiterMode(e: Env = env()): LimiterMode {
  if (e.REDIS_URL) return "redis";
  if (e.UPSTASH_REDIS_REST_URL) return "upstash";
  return "memory";
}

/**
 * Zero-config development: without AUTH_SECRET, generate one once and keep it under DATA_DIR so sessions
 * survive restarts. Called by the server entry before Next.js starts; refuses in production (env() does).
 */
export function ensureAuthSecret(): void {
  const current = parseEnv(process.env);
  if (current.AUTH_SECRET) return;
  const dir = path.resolve(current.DATA_DIR);
  const file = path.join(dir, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.AUTH_SECRET = readFileSync(file, "utf8").trim();
  cache.env = undefined;
}

/** The public origin without a trailing slash: APP_URL, or http://localhost:$PORT. */
export function appUrl(e: Env = env()): string {
  return (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}

/** Only for the server entry: the runtime mode Next.js should start in. */
export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}
