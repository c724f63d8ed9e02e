// A small keep-alive load generator for drain and outage tests: N workers, each on its own connection, calling until
// stopped; every outcome recorded (status, or the socket error code), with latency.
import http from "node:http";

export type Outcome = { status: number | null; error: string | null; ms: number; at: number; connectionClose: boolean };

export type GetOptions = { agent: http.Agent; headers?: Record<string, string>; timeoutMs?: number };

/** One GET on `agent`. Never rejects: a socket error is an outcome too. */
export function get(url: string, options: GetOptions): Promise<Outcome & { body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent: options.agent, headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? null,
          error: null,
          ms: performance.now() - started,
          at: Date.now(),
          connectionClose: res.headers.connection === "close",
          body,
        }),
      );
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ status: null, error: e.code ?? e.message, ms: performance.now() - started, at: Date.now(), connectionClose: false, body }));
    });
    // A hung answer is an outcome too, not a hung test.
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(Object.assign(new Error("timed out"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve({ status: null, error: e.code ?? e.message, ms: performance.now() - started, at: Date.now(), connectionClose: false, body: "" }),
    );
  });
}

export type Load = { outcomes: Outcome[]; stop: () => Promise<void> };

/**
 * Runs `workers` loops, each with its own keep-alive connection. `target(i)` picks the base URL per call (e.g. the
 * other instance after a refused connection), `path` the request.
 */
export function runLoad(options: {
  workers: number;
  target: (lastError: string | null, worker: number) => string;
  path: string;
  headers?: Record<string, string>;
  pauseMs?: number;
}): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: options.workers }, async (_, worker) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let lastError: string | null = null;
    while (running) {
      const { body: _body, ...outcome } = await get(options.target(lastError, worker) + options.path, { agent, headers: options.headers });
      outcomes.push(outcome);
      lastError = outcome.error;
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
    agent.destroy();
  });
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

export const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
};
export const p99 = (values: number[]) => quantile(values, 0.99);
export const median = (values: number[]) => quantile(values, 0.5);
