// Page timings on the production build: starts the built app against a fresh database, signs up an admin with a
// project, a key and some traffic, then requests every page N times (signed in) and prints p50/p95 time to first
// byte per page. Build first: `npm run build`, then `npm run measure:pages` (KEYPORT_DIST_DIR is honoured).
import { performance } from "node:perf_hooks";
import { createTestDatabase, dropTestDatabase, uniqueSuffix } from "../tests/support/databases";
import { startAppServer } from "../tests/support/app-server";
import { manage, signIn, signUpUser } from "../tests/support/accounts";

const RUNS = Number(process.argv[2] ?? 15);
const ADMIN_EMAIL = `measure-${uniqueSuffix()}@example.test`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main() {
  const databaseUrl = await createTestDatabase("pages");
  const server = await startAppServer({ databaseUrl, redisPrefix: `keyport-measure:${uniqueSuffix()}`, env: { ADMIN_EMAILS: ADMIN_EMAIL, LOG_LEVEL: "warn" } });
  try {
    const account = await signUpUser(server.url, { email: ADMIN_EMAIL });
    // ADMIN_EMAILS promotes only a verified address: mark it verified directly, as the e2e mail step would.
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("update users set email_verified_at = now(), role = 'admin' where email = $1", [ADMIN_EMAIL]);
    await client.end();
    const cookie = await signIn(server.url, account.email, account.password);
    const auth = { cookie };
    const project = (await (await manage(server.url, auth, "POST", "/projects", { name: "Measured" })).json()) as { project: { id: string } };
    const created = (await (await manage(server.url, auth, "POST", `/projects/${project.project.id}/keys`, { name: "measured key", scopes: ["products:read"] })).json()) as {
      key: { id: string };
      secret: string;
    };
    for (let i = 0; i < 30; i++) await fetch(`${server.url}/api/v1/products/NOPE-${i % 3}`, { headers: { Authorization: `Bearer ${created.secret}` } });
    await new Promise((r) => setTimeout(r, 1_500));

    const p = `/projects/${project.project.id}`;
    const k = `${p}/keys/${created.key.id}`;
    const pages = [
      "/", "/signin", "/docs/api", "/docs/errors", "/dashboard", "/docs", "/tokens",
      p, `${p}/usage?range=24h`, `${p}/usage?range=30d`, `${p}/requests`, `${p}/activity`, `${p}/settings`, k, `${k}/usage?range=24h`, `${k}/usage?range=30d`,
      "/admin", "/admin/users", "/admin/keys", "/admin/projects", "/admin/tiers", "/admin/audit",
    ];
    console.log(`| page | p50 TTFB | p95 TTFB |\n| --- | ---: | ---: |`);
    for (const page of pages) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const started = performance.now();
        // The sign-in page redirects a signed-in visitor: it is measured as a visitor sees it.
        const res = await fetch(server.url + page, { headers: page === "/signin" ? {} : { cookie }, redirect: "manual" });
        const ttfb = performance.now() - started;
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
        if (i >= 2) times.push(ttfb); // the first two warm the route's code and caches
      }
      const label = page.replace(project.project.id, "{projectId}").replace(created.key.id, "{keyId}");
      console.log(`| ${label} | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 95).toFixed(0)} ms |`);
    }
  } finally {
    await server.stop();
    await dropTestDatabase(databaseUrl);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
