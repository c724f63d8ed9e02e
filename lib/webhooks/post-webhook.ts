// One HTTP attempt of a webhook delivery, over a keep-alive connection pool per endpoint. Every NEW connection is
// made by our connect hook: it resolves the name, runs the SSRF check on every address (ssrf-guard.ts) and connects
// to a checked address only, so reuse never skips the check and a rebinding name cannot slip in between check and
// connect. Redirects are never followed (a 3xx is a failure), the whole attempt is bounded by a timeout, and at most
// a few KiB of the answer are read. What was sent and what came back is captured for the delivery log (excerpt.ts).
import { isIP } from "node:net";
import { Pool, buildConnector } from "undici";
import type { HeaderPair } from "../db/schema";
import { MAX_BODY_BYTES, bodyExcerpt, boundHeaders, excerptText, headerPairs, type BodyExcerpt, type BoundedHeaders } from "./excerpt";
import { SsrfError, resolvePublicAddresses } from "./ssrf-guard";

export const DELIVERY_TIMEOUT_MS = 10_000;
/** Connections (and so attempts in flight) per endpoint: a slow endpoint ties up its own pool, nobody else's. */
export const CONNECTIONS_PER_ENDPOINT = 4;
/** An idle connection is closed after this; pools unused for POOL_IDLE_MS are dropped altogether. */
const KEEP_ALIVE_MS = 30_000;
const POOL_IDLE_MS = 120_000;

/** One attempt as the delivery log shows it. */
export type AttemptCapture = {
  startedAt: Date;
  durationMs: number;
  /** What was sent; null when nothing was (refused before any connection). */
  requestHeaders: HeaderPair[] | null;
  /** Null when no answer came (a network error, a timeout before the headers). */
  responseHeaders: BoundedHeaders | null;
  responseBody: BodyExcerpt | null;
};

export type PostResult = (
  | { ok: true; status: number; excerpt: string }
  | { ok: false; status: number | null; excerpt: string | null; error: string }
) & { capture: AttemptCapture };

/** The capture of an attempt that sent nothing. */
export const nothingSent = (startedAt: Date): AttemptCapture => ({ startedAt, durationMs: 0, requestHeaders: null, responseHeaders: null, responseBody: null });

type PoolEntry = { pool: Pool; lastUsed: number };
type Pools = { byKey: Map<string, PoolEntry>; sweeper?: ReturnType<typeof setInterval> };
const pools: Pools = ((globalThis as { __keyportWebhookPools?: Pools }).__keyportWebhookPools ??= { byKey: new Map() });

/** The connect hook: every new socket goes to an address that has just passed the SSRF check. */
function checkedConnector(allowPrivate: boolean, timeoutMs: number): buildConnector.connector {
  const base = buildConnector({ timeout: timeoutMs });
  if (allowPrivate) return base;
  return (options, callback) => {
    resolvePublicAddresses(options.hostname).then(
      // `host` keeps the name, so TLS still sends it as SNI and verifies the certificate against it.
      (addresses) => base({ ...options, hostname: addresses[0].address }, callback),
      (error: Error) => callback(error instanceof SsrfError ? error : new Error(`${options.hostname} does not resolve (${error.message})`), null),
    );
  };
}

function poolFor(key: string, origin: string, allowPrivate: boolean, timeoutMs: number): Pool {
  const id = `${key} ${origin} ${allowPrivate ? "private" : "public"} ${timeoutMs}`;
  let entry = pools.byKey.get(id);
  if (!entry || entry.pool.closed || entry.pool.destroyed) {
    entry = {
      pool: new Pool(origin, {
        connect: checkedConnector(allowPrivate, timeoutMs),
        connections: CONNECTIONS_PER_ENDPOINT,
        pipelining: 1,
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MS,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      }),
      lastUsed: Date.now(),
    };
    pools.byKey.set(id, entry);
    sweepLater();
  }
  entry.lastUsed = Date.now();
  return entry.pool;
}

function sweepLater(): void {
  if (pools.sweeper) return;
  pools.sweeper = setInterval(() => {
    const cutoff = Date.now() - POOL_IDLE_MS;
    for (const [id, entry] of pools.byKey) {
      if (entry.lastUsed < cutoff) {
        pools.byKey.delete(id);
        void entry.pool.close().catch(() => {});
      }
    }
    if (pools.byKey.size === 0) {
      clearInterval(pools.sweeper);
      pools.sweeper = undefined;
    }
  }, POOL_IDLE_MS / 2);
  pools.sweeper.unref?.();
}

/** Closes every pool (shutdown, scripts): idle connections go at once, busy ones after their attempt. */
export async function closeWebhookPools(): Promise<void> {
  const entries = [...pools.byKey.values()];
  pools.byKey.clear();
  if (pools.sweeper) clearInterval(pools.sweeper);
  pools.sweeper = undefined;
  await Promise.all(entries.map((e) => e.pool.close().catch(() => {})));
}

export async function postWebhook(
  target: string,
  {
    headers,
    body,
    allowPrivate,
    timeoutMs = DELIVERY_TIMEOUT_MS,
    poolKey = "",
  }: { headers: Record<string, string>; body: string; allowPrivate: boolean; timeoutMs?: number; /** The endpoint id: one pool each. */ poolKey?: string },
): Promise<PostResult> {
  const startedAt = new Date();
  const started = performance.now();
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) throw new SsrfError("refused: webhook URLs must use https");
    // Fail fast on a literal internal address (the connect hook would refuse it too).
    if (!allowPrivate && isIP(url.hostname.replace(/^\[|\]$/g, ""))) await resolvePublicAddresses(url.hostname);
  } catch (error) {
    return { ok: false, status: null, excerpt: null, error: error instanceof Error ? error.message : String(error), capture: nothingSent(startedAt) };
  }

  const sent = { ...headers, "content-length": String(Buffer.byteLength(body)) };
  const capture: AttemptCapture = { startedAt, durationMs: 0, requestHeaders: headerPairs(sent), responseHeaders: null, responseBody: null };
  const done = () => ({ ...capture, durationMs: Math.round(performance.now() - started) });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const pool = poolFor(poolKey, url.origin, allowPrivate, timeoutMs);
    const response = await pool.request({ method: "POST", path: `${url.pathname}${url.search}`, headers: sent, body, signal });
    capture.responseHeaders = boundHeaders(headerPairs(response.headers));
    // One byte past the excerpt tells a body of exactly 4 KiB from a longer one.
    const chunks: Buffer[] = [];
    let size = 0;
    let cutShort = false;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push(chunk.subarray(0, MAX_BODY_BYTES + 1 - size));
        size += chunk.length;
        if (size > MAX_BODY_BYTES) break;
      }
    } catch {
      // A body cut short still has its status; what was read is the excerpt (and it says there was more).
      cutShort = true;
    }
    // Breaking out of the loop destroys the body (and that connection); a fully read body leaves it for reuse.
    const status = response.statusCode;
    capture.responseBody = bodyExcerpt(Buffer.concat(chunks), { more: cutShort });
    const excerpt = excerptText(capture.responseBody);
    if (status >= 200 && status < 300) return { ok: true, status, excerpt, capture: done() };
    return { ok: false, status, excerpt, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`, capture: done() };
  } catch (error) {
    if (signal.aborted) return { ok: false, status: null, excerpt: null, error: `timed out after ${timeoutMs / 1000} s`, capture: done() };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return { ok: false, status: null, excerpt: null, error: cause instanceof Error ? cause.message : String(cause), capture: done() };
  }
}
