// npm run seed:usage — fills DATABASE_URL with 5,000 active keys and 30 days of usage rollups, shaped like what
// the metering flusher writes: minute rows for the last MINUTE_HOURS hours, hour and day rows for every day, each
// level the exact sum of the one below, with the per-key and per-project sums the flusher writes alongside
// (usage_key_totals, usage_project_rollups). Rows go in through multi-row INSERT … SELECT FROM unnest(…) batches,
// after the partitions of the months it reaches back to are made (drizzle/0007).
// Every owner gets a personal team that owns their projects (as sign-up makes it). One "Big partner" project holds
// --big-project keys (default 5,000) of the total, the scale the admin pages and its usage page are measured at;
// the rest sit in projects of 20 keys. Seeding bypasses MAX_ACTIVE_KEYS_PER_PROJECT, as an import would.
//
//   DATABASE_URL=postgres://… npm run seed:usage -- [--keys 5000] [--big-project 5000] [--days 30] [--minute-hours 36]
//
// It also creates a demo developer (demo@keyport.local) whose "Showcase" project has a spiking key, a key that
// went quiet and a zombie key, and a demo admin (admin@keyport.local); both use the password printed at the end.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { newId } from "../lib/db/ids";
import { personalTeamId } from "../lib/teams/ensure-personal-team";
import { LATENCY_BUCKETS } from "../lib/usage/latency";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const KEYS = arg("keys", 5000);
const BIG_PROJECT_KEYS = Math.min(KEYS, arg("big-project", 5000));
const DAYS = arg("days", 30);
const MINUTE_HOURS = arg("minute-hours", 36);
const KEYS_PER_PROJECT = 20;
const BATCH = 5_000;
const DEMO_PASSWORD = "keyport-demo-password";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const ENDPOINTS: { name: string; weight: number; latency: number[] }[] = [
  { name: "GET /api/v1/products", weight: 0.45, latency: [0.01, 0.05, 0.2, 0.3, 0.22, 0.12, 0.06, 0.03, 0.01, 0, 0, 0] },
  { name: "GET /api/v1/products/{sku}", weight: 0.28, latency: [0.05, 0.15, 0.35, 0.25, 0.12, 0.05, 0.02, 0.01, 0, 0, 0, 0] },
  { name: "GET /api/v1/inventory/{sku}", weight: 0.15, latency: [0.06, 0.2, 0.34, 0.22, 0.1, 0.05, 0.02, 0.01, 0, 0, 0, 0] },
  { name: "POST /api/v1/products", weight: 0.08, latency: [0, 0.01, 0.04, 0.12, 0.3, 0.28, 0.14, 0.07, 0.03, 0.01, 0, 0] },
  { name: "PUT /api/v1/inventory/{sku}", weight: 0.04, latency: [0, 0.02, 0.08, 0.2, 0.3, 0.22, 0.1, 0.05, 0.02, 0.01, 0, 0] },
];
const BUCKET_MID_MS = [0.6, 1.5, 3.5, 7.5, 17, 37, 75, 175, 375, 750, 1750, 4000];

// Reproducible randomness (mulberry32), so two seeded databases chart the same.
let state = 0x5eed;
const rand = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

type Counts = { total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number; latencySum: number; histogram: number[] };

function makeCounts(n: number, latencyProfile: number[], errorScale = 1): Counts {
  const rl = Math.min(n, Math.round(n * 0.02 * errorScale * rand() * 2));
  const se = Math.min(n - rl, Math.round(n * 0.005 * errorScale * rand() * 2));
  const ce = Math.min(n - rl - se, Math.round(n * 0.05 * errorScale * rand() * 2));
  const histogram = new Array(LATENCY_BUCKETS).fill(0);
  let left = n;
  // Draw each request's bucket from the endpoint's profile (small counts would otherwise all round to zero).
  for (let i = 0; i < n && i < 200; i++) {
    let r = rand();
    let b = 0;
    while (b < LATENCY_BUCKETS - 1 && r > latencyProfile[b]) r -= latencyProfile[b++];
    histogram[b]++;
    left--;
  }
  // Large counts: the rest in proportion, remainder to the most common bucket.
  if (left > 0) {
    const mode = latencyProfile.indexOf(Math.max(...latencyProfile));
    let given = 0;
    latencyProfile.forEach((w, i) => {
      const share = Math.floor(left * w);
      histogram[i] += share;
      given += share;
    });
    histogram[mode] += left - given;
  }
  const latencySum = Math.round(histogram.reduce((s, c, i) => s + c * BUCKET_MID_MS[i], 0));
  return { total: n, success: n - rl - se - ce, clientErrors: ce, rateLimited: rl, serverErrors: se, latencySum, histogram };
}

function addInto(into: Counts | undefined, c: Counts): Counts {
  if (!into) return { ...c, histogram: [...c.histogram] };
  into.total += c.total;
  into.success += c.success;
  into.clientErrors += c.clientErrors;
  into.rateLimited += c.rateLimited;
  into.serverErrors += c.serverErrors;
  into.latencySum += c.latencySum;
  c.histogram.forEach((v, i) => (into.histogram[i] += v));
  return into;
}

type Granularity = "minute" | "hour" | "day";
type Row = { keyId: string; projectId: string; granularity: Granularity; bucket: number; endpoint: string; c: Counts };

// The three tables the flusher writes in one transaction: per key and endpoint, per key (no endpoint split), and per
// project and endpoint (no key split). Each column: its SQL type in the unnest and how a row gives its value.
type Column = [name: string, type: string, value: (r: Row) => unknown];
const KEY: Column = ["key_id", "text", (r) => r.keyId];
const PROJECT: Column = ["project_id", "text", (r) => r.projectId];
const WHEN: Column[] = [
  ["granularity", "text", (r) => r.granularity],
  ["bucket", "timestamptz", (r) => new Date(r.bucket).toISOString()],
];
const ENDPOINT: Column = ["endpoint", "text", (r) => r.endpoint];
const COUNTS: Column[] = [
  ["total", "int", (r) => r.c.total],
  ["success", "int", (r) => r.c.success],
  ["client_errors", "int", (r) => r.c.clientErrors],
  ["rate_limited", "int", (r) => r.c.rateLimited],
  ["server_errors", "int", (r) => r.c.serverErrors],
];
const LATENCY: Column[] = [
  ["latency_sum_ms", "bigint", (r) => r.c.latencySum],
  ["latency_histogram", "int[]", (r) => `{${r.c.histogram.join(",")}}`],
];
const TABLES = {
  usage_rollups: [KEY, PROJECT, ...WHEN, ENDPOINT, ...COUNTS, ...LATENCY],
  usage_key_totals: [KEY, PROJECT, ...WHEN, ...COUNTS],
  usage_project_rollups: [PROJECT, ...WHEN, ENDPOINT, ...COUNTS, ...LATENCY],
} satisfies Record<string, Column[]>;

class RowWriter {
  private rows: Row[] = [];
  written = 0;
  private pending: Promise<void>[] = [];
  private readonly insert: string;
  constructor(
    private pool: pg.Pool,
    private columns: Column[],
    table: keyof typeof TABLES,
  ) {
    // Arrays of arrays do not pass through unnest: the histogram travels as text and is cast back.
    const types = columns.map(([, type], i) => `$${i + 1}::${type === "int[]" ? "text" : type}[]`);
    const names = columns.map(([name]) => name);
    const values = columns.map(([name, type]) => (type === "int[]" ? `${name}::int[]` : name));
    this.insert = `insert into ${table} (${names.join(", ")}) select ${values.join(", ")} from unnest(${types.join(", ")}) as u(${names.join(", ")})`;
  }
  static for(pool: pg.Pool, table: keyof typeof TABLES) {
    return new RowWriter(pool, TABLES[table], table);
  }
  async push(row: Row) {
    this.rows.push(row);
    if (this.rows.length >= BATCH) await this.flush();
  }
  async flush() {
    const rows = this.rows;
    this.rows = [];
    if (rows.length === 0) return;
    const cols = this.columns.map(([, , value]) => rows.map(value));
    const work = this.pool.query(this.insert, cols).then(() => {
      this.written += rows.length;
    });
    this.pending.push(work);
    // Two batches in flight: the database stays busy while the next one is built.
    if (this.pending.length >= 2) await this.pending.shift();
  }
  async close() {
    await this.flush();
    await Promise.all(this.pending);
  }
}

/** Writes each row to usage_rollups and adds it into the key's sums (written per key) and the project's (at the end). */
class UsageWriter {
  readonly rollups: RowWriter;
  private readonly keyTotals: RowWriter;
  private readonly projectRollups: RowWriter;
  private keySums = new Map<string, Row>();
  private projectSums = new Map<string, Row>();
  constructor(pool: pg.Pool) {
    this.rollups = RowWriter.for(pool, "usage_rollups");
    this.keyTotals = RowWriter.for(pool, "usage_key_totals");
    this.projectRollups = RowWriter.for(pool, "usage_project_rollups");
  }
  async push(row: Row) {
    await this.rollups.push(row);
    const sum = (into: Map<string, Row>, id: string) => {
      const existing = into.get(id);
      if (existing) addInto(existing.c, row.c);
      else into.set(id, { ...row, c: addInto(undefined, row.c) });
    };
    sum(this.keySums, `${row.granularity}|${row.bucket}`);
    sum(this.projectSums, `${row.projectId}|${row.granularity}|${row.bucket}|${row.endpoint}`);
  }
  /** The current key is done: its sums per bucket go out. */
  async endKey() {
    for (const row of this.keySums.values()) await this.keyTotals.push(row);
    this.keySums.clear();
  }
  async close() {
    await this.endKey();
    for (const row of this.projectSums.values()) await this.projectRollups.push(row);
    await Promise.all([this.rollups.close(), this.keyTotals.close(), this.projectRollups.close()]);
  }
}

type Shape = "normal" | "spike" | "quiet" | "zombie";
type SeedKey = { id: string; projectId: string; perHour: number; shape: Shape; errorScale: number };

/** Writes one key's rollups: hour-by-hour from DAYS ago to now; minute rows (and sums) for the recent hours. */
async function writeKeyUsage(writer: UsageWriter, key: SeedKey, now: number) {
  if (key.shape === "zombie") return 0;
  const firstHour = Math.floor((now - DAYS * DAY) / HOUR) * HOUR;
  const currentHour = Math.floor(now / HOUR) * HOUR;
  const minuteFrom = currentHour - (MINUTE_HOURS - 1) * HOUR;
  const days = new Map<string, Counts>();
  let lastUsed = 0;
  for (let hour = firstHour; hour <= currentHour; hour += HOUR) {
    const hourOfDay = new Date(hour).getUTCHours();
    const diurnal = 0.55 + 0.45 * Math.sin(((hourOfDay - 8) / 24) * 2 * Math.PI);
    let rate = key.perHour * diurnal * (0.7 + 0.6 * rand());
    if (key.shape === "quiet" && hour >= now - 2 * DAY) rate = 0;
    const dayBucket = Math.floor(hour / DAY) * DAY;
    for (const endpoint of ENDPOINTS) {
      let n = Math.round(rate * endpoint.weight + rand() - 0.5);
      if (hour === currentHour) n = Math.round(n * ((now - hour) / HOUR));
      // A spiking key: 25× its usual rate over the last 60 minutes, which may straddle two clock hours.
      const spikeMinutes = key.shape === "spike" ? Math.max(0, Math.min(hour + HOUR, now) - Math.max(hour, now - HOUR)) / MINUTE : 0;
      if (spikeMinutes > 0) n += Math.round(((key.perHour * 25 * endpoint.weight) / 60) * spikeMinutes);
      if (n <= 0) continue;
      let hourCounts: Counts | undefined;
      if (hour >= minuteFrom) {
        // Spread the hour's requests over its elapsed minutes; each touched minute becomes one row.
        const minutes = Math.max(1, Math.min(60, Math.floor((Math.min(now, hour + HOUR) - hour) / MINUTE)));
        const perMinute = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const m = Math.floor(rand() * minutes);
          perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
        }
        for (const [m, count] of perMinute) {
          const c = makeCounts(count, endpoint.latency, key.errorScale);
          await writer.push({ keyId: key.id, projectId: key.projectId, granularity: "minute", bucket: hour + m * MINUTE, endpoint: endpoint.name, c });
          hourCounts = addInto(hourCounts, c);
          lastUsed = Math.max(lastUsed, hour + m * MINUTE);
        }
      } else {
        hourCounts = makeCounts(n, endpoint.latency, key.errorScale);
        lastUsed = Math.max(lastUsed, hour + HOUR - MINUTE);
      }
      await writer.push({ keyId: key.id, projectId: key.projectId, granularity: "hour", bucket: hour, endpoint: endpoint.name, c: hourCounts! });
      const dayKey = `${dayBucket}|${endpoint.name}`;
      days.set(dayKey, addInto(days.get(dayKey), hourCounts!));
    }
  }
  for (const [dayKey, c] of days) {
    const [bucket, endpoint] = dayKey.split("|");
    await writer.push({ keyId: key.id, projectId: key.projectId, granularity: "day", bucket: Number(bucket), endpoint, c });
  }
  await writer.endKey();
  return lastUsed;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must point at a PostgreSQL database (run npm run db:migrate first)");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const started = Date.now();
  const now = Date.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const suffix = randomBytes(3).toString("hex");

  const users: unknown[][] = [];
  const projects: unknown[][] = [];
  const keys: SeedKey[] = [];
  const tierFor = () => {
    const r = rand();
    return r < 0.6 ? "tier_free" : r < 0.9 ? "tier_pro" : "tier_enterprise";
  };
  const keyRows: unknown[][] = [];
  const secretRows: unknown[][] = [];
  const addKey = (projectId: string, name: string, tierId: string, shape: Shape, perHour: number, createdAt: number) => {
    const id = newId("key");
    const body = randomBytes(24).toString("base64url").replace(/[-_]/g, "x").slice(0, 32);
    keyRows.push([id, projectId, name, tierId, new Date(createdAt).toISOString()]);
    secretRows.push([newId("sec"), id, createHash("sha256").update(`kp_live_${body}`).digest("hex"), `kp_live_${body.slice(0, 4)}`, body.slice(-4), new Date(createdAt).toISOString()]);
    keys.push({ id, projectId, perHour, shape, errorScale: 0.5 + rand() * 1.5 });
  };

  const demoUser = { id: newId("usr"), email: `demo@keyport.local` };
  const adminUser = { id: newId("usr"), email: `admin@keyport.local` };
  const existing = await pool.query("select email from users where email = any($1)", [[demoUser.email, adminUser.email]]);
  const hasDemo = existing.rows.length > 0;
  if (!hasDemo) {
    users.push([demoUser.id, demoUser.email, "Demo Developer", "developer"], [adminUser.id, adminUser.email, "Demo Admin", "admin"]);
    const showcase = newId("prj");
    projects.push([showcase, demoUser.id, "Showcase storefront", "tier_free", personalTeamId(demoUser.id)]);
    addKey(showcase, "Checkout service", "tier_pro", "normal", 120, now - 40 * DAY);
    addKey(showcase, "Nightly import (spiking)", "tier_free", "spike", 30, now - 40 * DAY);
    addKey(showcase, "Legacy mobile app (went quiet)", "tier_free", "quiet", 40, now - 40 * DAY);
    addKey(showcase, "Old staging key (zombie)", "tier_free", "zombie", 0, now - 70 * DAY);
  }

  const target = KEYS + (hasDemo ? 0 : 4);
  if (BIG_PROJECT_KEYS > 0) {
    const userId = newId("usr");
    users.push([userId, `seed-${suffix}-big@keyport.local`, "Big partner", "developer"]);
    const projectId = newId("prj");
    // Its pool (and its default tier): enterprise, so the project's own tier is not what limits its many keys.
    projects.push([projectId, userId, `Big partner ${suffix}`, "tier_enterprise", personalTeamId(userId)]);
    for (let k = 0; k < BIG_PROJECT_KEYS; k++) {
      const tierId = tierFor();
      const base = tierId === "tier_free" ? 12 : tierId === "tier_pro" ? 60 : 200;
      addKey(projectId, `big key ${k}`, tierId, "normal", Math.max(1, Math.round(base * Math.exp(normal() * 0.8))), now - (DAYS + 5) * DAY);
    }
  }
  const owners = Math.ceil(Math.max(0, KEYS - BIG_PROJECT_KEYS) / KEYS_PER_PROJECT);
  for (let o = 0; o < owners; o++) {
    const userId = newId("usr");
    users.push([userId, `seed-${suffix}-${o}@keyport.local`, `Seed owner ${o}`, "developer"]);
    const projectId = newId("prj");
    projects.push([projectId, userId, `Seed project ${suffix}-${o}`, "tier_free", personalTeamId(userId)]);
    for (let k = 0; k < KEYS_PER_PROJECT && keys.length < target; k++) {
      const tierId = tierFor();
      const base = tierId === "tier_free" ? 12 : tierId === "tier_pro" ? 60 : 200;
      addKey(projectId, `seed key ${o}-${k}`, tierId, "normal", Math.max(1, Math.round(base * Math.exp(normal() * 0.8))), now - (DAYS + 5) * DAY);
    }
  }

  const insertRows = async (sqlText: string, rows: unknown[][], width: number) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const chunk = rows.slice(i, i + BATCH);
      const cols = Array.from({ length: width }, (_, c) => chunk.map((r) => r[c]));
      await pool.query(sqlText, cols);
    }
  };
  await insertRows(
    `insert into users (id, email, name, role, password_hash) select i, e, n, r, '${passwordHash}' from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as u(i, e, n, r)`,
    users,
    4,
  );
  // Personal teams first (projects.team_id references them), each with its user as owner.
  await insertRows(
    `insert into teams (id, name, personal_of) select * from unnest($1::text[], $2::text[], $3::text[])`,
    users.map((u) => [personalTeamId(u[0] as string), `${u[2]}'s team`, u[0]]),
    3,
  );
  await insertRows(
    `insert into team_members (team_id, user_id, role) select t, u, 'owner' from unnest($1::text[], $2::text[]) as m(t, u)`,
    users.map((u) => [personalTeamId(u[0] as string), u[0]]),
    2,
  );
  await insertRows(
    `insert into projects (id, owner_id, name, default_tier_id, team_id, tier_id) select i, o, n, d, t, d from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as u(i, o, n, d, t)`,
    projects,
    5,
  );
  await insertRows(
    `insert into api_keys (id, project_id, name, tier_id, scopes, created_at) select i, p, n, t, '{products:read,products:write,inventory:read,inventory:write}', c from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) as u(i, p, n, t, c)`,
    keyRows,
    5,
  );
  await insertRows(`insert into key_secrets (id, key_id, hash, start, last4, created_at) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`, secretRows, 6);

  // The usage tables are partitioned by month (drizzle/0007): the months the seed reaches back to are made first, or
  // their rows would wait in the default partitions.
  const firstMonth = new Date(now - DAYS * DAY);
  const months = (new Date(now).getUTCFullYear() - firstMonth.getUTCFullYear()) * 12 + new Date(now).getUTCMonth() - firstMonth.getUTCMonth() + 1;
  // (A database migrated only up to 0006, to measure migration 0007 on, has no partitions to make.)
  const partitioned = await pool.query("select to_regproc('keyport_ensure_partitions') is not null as yes");
  if (partitioned.rows[0].yes) await pool.query("select keyport_ensure_partitions($1, $2, 0)", [firstMonth.toISOString(), months]);
  const writer = new UsageWriter(pool);
  const lastUsed: [string, string][] = [];
  for (const key of keys) {
    const at = await writeKeyUsage(writer, key, now);
    lastUsed.push([key.id, new Date(at || now - 45 * DAY).toISOString()]);
    if (writer.rollups.written > 0 && keys.indexOf(key) % 100 === 0) process.stdout.write(`\r${keys.indexOf(key)} keys, ${writer.rollups.written} rows`);
  }
  await writer.close();
  await insertRows(`update api_keys k set last_used_at = u.t from unnest($1::text[], $2::timestamptz[]) as u(i, t) where k.id = u.i`, lastUsed, 2);
  await pool.query("analyze usage_rollups, usage_key_totals, usage_project_rollups");
  const counts = await pool.query("select granularity, count(*)::int as n from usage_rollups group by 1 order by 1");
  await pool.end();
  console.log(`\nseeded ${keys.length} keys, ${writer.rollups.written} rollup rows (and their per-key and per-project sums) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log("rows in usage_rollups now:", Object.fromEntries(counts.rows.map((r: { granularity: string; n: number }) => [r.granularity, r.n])));
  if (!hasDemo) console.log(`sign in as ${demoUser.email} or ${adminUser.email} with password ${DEMO_PASSWORD}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
