// Starts the real production server (what `npm start` runs: the built server entry on the built app) as a child
// process for integration tests. Needs `npm run build` first (npm test builds before the integration suite).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_REDIS_URL } from "./databases";

export type AppServer = {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed, for assertions about logs. */
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

export type AppServerOptions = {
  /** Omitted: no DATABASE_URL at all, so the server opens embedded PGlite under DATA_DIR (pass one in env). */
  databaseUrl?: string;
  redisPrefix: string;
  /**
   * Extra or overriding environment (REDIS_URL: "" for the in-process limiter, ADMIN_EMAILS…). A variable set to
   * undefined is left out of the child's environment entirely (spawn skips undefined values).
   */
  env?: Record<string, string | undefined>;
  /** Which path must answer 200 before the server counts as started (default /api/health). */
  readyPath?: string;
  /** A fixed port (e.g. to restart an instance where a load balancer expects it); default a free one. */
  port?: number;
};

/** The database each running test server uses, by its base URL: helpers that must read its mail find it here. */
const serverDatabases = new Map<string, string>();
export const databaseUrlOf = (baseUrl: string): string | undefined => serverDatabases.get(baseUrl);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The production server entry `npm run build` bundles from server.ts (`build:server`), as `npm start` runs it; the
 * build folder is KEYPORT_DIST_DIR's, as next.config.ts's. Throws, saying what to run, when it was not built.
 */
export function serverEntry(distDir = process.env.KEYPORT_DIST_DIR || ".next"): string {
  const entry = path.join(distDir, "keyport-server.cjs");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (it bundles server.ts there)`);
  return entry;
}

/** Waits until `url` answers 2xx from the server `child` runs; throws if it exits first or `timeoutMs` passes. */
export async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`server did not answer ${url} in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  let output = "";
  const child = spawn(process.execPath, [serverEntry()], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KEYPORT_DIST_DIR: process.env.KEYPORT_DIST_DIR ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: options.redisPrefix,
      AUTH_SECRET: "test-secret-test-secret-test-secret-test",
      LOG_LEVEL: "info",
      // Every test signs up from 127.0.0.1 into one database per run; the sign-up limit has its own test.
      SIGNUP_ATTEMPTS_PER_HOUR: "1000000",
      // Likewise for requests without a valid key (limited per IP; tests/integration/ops has its own test).
      UNAUTHENTICATED_PER_MINUTE: "1000000",
      // The address the tests reach it at: links in mails and Auth.js redirects point here.
      APP_URL: `http://127.0.0.1:${port}`,
      // Mails without SMTP are written under DATA_DIR: one folder per server, never the working tree.
      DATA_DIR: path.join(tmpdir(), `keyport-app-${port}`),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(url + (options.readyPath ?? "/api/health"));
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (options.databaseUrl) serverDatabases.set(url, options.databaseUrl);
  return {
    url,
    port,
    process: child,
    output: () => output,
    stop: async (signal = "SIGTERM") => {
      // A process killed by a signal has signalCode set and exitCode null.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
