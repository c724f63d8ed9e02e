// Server entry for `npm run dev` and `npm start`: validates configuration, migrates, then serves Next.js with the
// client IP decided here (from the socket and TRUSTED_PROXIES) and a graceful drain on SIGTERM (CONTRACT §12).
// First: with OTEL_EXPORTER_OTLP_ENDPOINT set, tracing hooks pg, ioredis and undici before anything requires them.
import { tracingEnabled } from "./lib/tracing/start-tracing";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { trace } from "@opentelemetry/api";
import { Server as NetServer, type Socket } from "node:net";
import path from "node:path";
import next from "next";
import { CLIENT_IP_HEADER, resolveClientIp } from "./lib/http/client-ip";
import { refuseMalformedRequest } from "./lib/http/malformed-request";
import { REQUEST_ID_HEADER, newRequestId } from "./lib/http/request-id";
import { RAW_TARGET_HEADER, REQUEST_PATH_HEADER, requestPath } from "./lib/http/request-path";
import { EnvError, appUrl, ensureAuthSecret, env, isProduction, limiterMode } from "./lib/env";
import { STRICT_TRANSPORT_SECURITY } from "./lib/http/security-headers";
import { closeDatabase, getDatabase, type Database } from "./lib/db/client";
import { migrateDatabase } from "./lib/db/migrate";
import { invalidationBusStatus, startInvalidationListener } from "./lib/keys/invalidation";
import { runShutdownHooks } from "./lib/lifecycle";
import { logger } from "./lib/log";
import { startDraining } from "./lib/ops/draining";
import { describeLimiterPersistence } from "./lib/ops/limiter-persistence";
import { installTestClock } from "./lib/clock/test-clock";
import { recordHttpRequest } from "./lib/metrics/registry";
import { routeTemplates } from "./lib/metrics/route-templates";
import nextConfig from "./next.config";

/** A database that accepts connections but never answers must not hang start-up (CONTRACT §12). */
export const STARTUP_DATABASE_TIMEOUT_MS = 10_000;
/** After the last in-flight request, idle keep-alive connections get this long to send one more (answered with
 * `Connection: close`) before they are closed: closing an idle socket races with a request already on the wire. */
const IDLE_LINGER_MS = 300;
/** Kept from SHUTDOWN_TIMEOUT_MS for the usage flush and closing the pools, after the drain. */
const FLUSH_RESERVE_MS = 2_500;
/** Slow clients (CONTRACT §18): a request's headers must arrive within this… */
export const HEADERS_TIMEOUT_MS = 15_000;
/** …and its body may be silent this long at most (a slowloris trickling a body never finishes otherwise). */
export const BODY_IDLE_TIMEOUT_MS = 60_000;
/** How often Node checks headersTimeout (its default, 30 s, would let a slow header run to 45 s). */
const CONNECTIONS_CHECK_MS = 1_000;

/** Prints one line and exits 1: start-up failures must be readable by whoever runs the process. */
function fail(message: string, fields: Record<string, unknown> = {}): never {
  logger.fatal(fields, message);
  process.exit(1);
}

/** Requests whose body is still arriving, by socket (for the inactivity timer below). */
const receiving = new WeakMap<Socket, IncomingMessage>();

/**
 * A request whose body goes silent for BODY_IDLE_TIMEOUT_MS loses its connection: the socket's inactivity timer is
 * armed only while a body is still arriving, so a long response or an idle keep-alive connection is never cut.
 */
function watchBodySilence(req: IncomingMessage): void {
  if (req.complete) return;
  const length = req.headers["content-length"];
  if (!req.headers["transfer-encoding"] && (length === undefined || length === "0")) return;
  const socket = req.socket;
  receiving.set(socket, req);
  socket.setTimeout(BODY_IDLE_TIMEOUT_MS);
  const disarm = () => {
    if (receiving.get(socket) !== req) return;
    receiving.delete(socket);
    socket.setTimeout(0);
  };
  req.once("end", disarm);
  req.once("close", disarm);
}

/** The server's 'timeout' listener (with one, Node leaves the decision to us): cut only a body that went silent. */
function onSocketTimeout(socket: Socket): void {
  const req = receiving.get(socket);
  // Received whole but not read (yet) by its handler: not the client's fault.
  if (!req || req.complete) {
    receiving.delete(socket);
    socket.setTimeout(0);
    return;
  }
  socket.destroy();
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

async function main() {
  const dev = process.argv.includes("--dev") && !isProduction();
  let config;
  try {
    if (!isProduction()) ensureAuthSecret();
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Test hook, refused in production unless KEYPORT_TEST_HOOKS=1 (lib/env.ts): this process's clock runs off by the
  // given offset, as a host with a wrong clock would.
  const skewed = installTestClock();
  if (skewed !== 0) logger.warn({ offsetMs: skewed }, "test hook: this process's wall clock is shifted (KEYPORT_TEST_CLOCK_OFFSET_MS)");

  let database: Database;
  try {
    database = await withDeadline(
      (async () => {
        const opened = await getDatabase();
        await migrateDatabase(opened);
        return opened;
      })(),
      STARTUP_DATABASE_TIMEOUT_MS,
      `the database did not answer within ${STARTUP_DATABASE_TIMEOUT_MS / 1000} s`,
    );
  } catch (error) {
    fail(`cannot start: database unavailable (${error instanceof Error ? error.message : String(error)})`);
  }
  // Best effort: connections that fail to open now are opened on demand, as always.
  await database.warm(4);
  logger.info({ database: database.kind }, database.kind === "pglite" ? "embedded PGlite database ready" : "PostgreSQL ready");
  // Listen for key invalidations before serving: until the bus is up the key cache is bypassed, and a cold burst
  // would send every request to the pool (CONTRACT §12, cold instance).
  startInvalidationListener(database);
  for (let waited = 0; invalidationBusStatus().mode === "connecting" && waited < 5_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // The first clock check before serving: usage is stamped on PostgreSQL's clock from the first request, and a clock
  // over 2 s off is in the log at start (then every minute, and in /api/ready warnings).
  const { startClockSkewCheck } = await import("./lib/ops/clock-skew");
  await startClockSkewCheck(async () => database.db);
  const mode = limiterMode(config);
  if (mode === "memory") logger.warn("rate limits: in-process limiter (single instance only)");
  else logger.info({ limiter: mode }, `rate limits: ${mode === "redis" ? "Redis" : "Upstash"} through @upstash/ratelimit`);
  const persistence = await describeLimiterPersistence();
  if (persistence.warning) logger.warn({ limiterPersistence: persistence.state }, persistence.warning);

  const app = next({ dev, port: config.PORT, hostname: "0.0.0.0" });
  const handle = app.getRequestHandler();
  await app.prepare();
  // The `route` label of the HTTP metrics: the route templates of this build (bounded; never a raw path).
  const routeOf = routeTemplates(path.resolve(nextConfig.distDir ?? ".next"));
  const tracing = tracingEnabled();

  // Over https, browsers must never try plain http again (CONTRACT §17); an http APP_URL (development) sends nothing.
  const hsts = appUrl(config).startsWith("https://") ? STRICT_TRANSPORT_SECURITY : null;
  let draining = false;
  /** Responses not yet finished: SIGTERM waits for them before flushing usage and closing the pools. */
  const active = new Set<ServerResponse>();
  let onIdle: (() => void) | null = null;

  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS }, (req, res) => {
    const arrivedAt = performance.now();
    const route = routeOf(req.url);
    // After SIGTERM: answer, then close the connection, so the client opens its next one elsewhere.
    if (draining) res.setHeader("Connection", "close");
    active.add(res);
    res.once("close", () => {
      active.delete(res);
      recordHttpRequest(route, res.statusCode, (performance.now() - arrivedAt) / 1000);
      if (active.size === 0) onIdle?.();
    });
    req.headers[CLIENT_IP_HEADER] = resolveClientIp(
      req.socket.remoteAddress,
      req.headers["x-forwarded-for"],
      config.TRUSTED_PROXIES,
    );
    // One id per request, chosen here (never by the client), echoed on every response and in every problem body.
    const requestId = newRequestId();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);
    if (hsts) res.setHeader("Strict-Transport-Security", hsts);
    // The span instrumentation-http opened for this request.
    if (tracing) trace.getActiveSpan()?.setAttributes({ "keyport.request_id": requestId, "http.route": route });
    if (refuseMalformedRequest(req, res, requestId)) return;
    watchBodySilence(req);
    req.headers[REQUEST_PATH_HEADER] = requestPath(req.url);
    // The gateway forwards the query exactly as the client wrote it (Next.js re-encodes request.url's query).
    if (req.url?.startsWith("/gw/") && /^[\x21-\x7e]*$/.test(req.url)) req.headers[RAW_TARGET_HEADER] = req.url;
    else delete req.headers[RAW_TARGET_HEADER];
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.on("timeout", onSocketTimeout);
  server.once("error", (error: NodeJS.ErrnoException) => {
    fail(
      error.code === "EADDRINUSE" ? `cannot start: port ${config.PORT} is already in use` : `cannot start: ${error.message}`,
      { port: config.PORT, code: error.code },
    );
  });
  server.listen(config.PORT, () => logger.info({ port: config.PORT, dev }, `Keyport listening on http://localhost:${config.PORT}`));

  /** Resolves once no request is in flight and no idle connection sent another one within IDLE_LINGER_MS. */
  const drained = async (deadline: number) => {
    while (Date.now() < deadline) {
      if (active.size > 0) {
        await new Promise<void>((resolve) => {
          onIdle = resolve;
          setTimeout(resolve, Math.max(0, deadline - Date.now())).unref();
        });
        onIdle = null;
        continue;
      }
      await new Promise((r) => setTimeout(r, Math.min(IDLE_LINGER_MS, Math.max(0, deadline - Date.now()))));
      if (active.size === 0) return true;
    }
    return active.size === 0;
  };

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    const timeout = config.SHUTDOWN_TIMEOUT_MS;
    // Past the deadline something is stuck: leave rather than hang a deploy.
    setTimeout(() => {
      logger.error({ signal, timeoutMs: timeout, inFlight: active.size }, "shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting");
      process.exit(1);
    }, timeout).unref();
    draining = true;
    startDraining();
    logger.info({ signal, inFlight: active.size }, "shutting down: draining requests");
    // Responses already being prepared close their connection too.
    for (const res of active) if (!res.headersSent) res.setHeader("Connection", "close");
    // Stop accepting connections. Not http.Server#close: it also closes idle keep-alive sockets at once, and a
    // request the client is sending on one right now would be reset. Those are closed after the drain instead.
    NetServer.prototype.close.call(server);
    const clean = await drained(started + Math.max(timeout - FLUSH_RESERVE_MS, timeout / 2));
    server.closeIdleConnections();
    if (!clean) logger.warn({ inFlight: active.size }, "drain deadline reached with requests still in flight");
    await runShutdownHooks();
    await closeDatabase().catch(() => {});
    logger.info({ signal, ms: Date.now() - started }, "shut down");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
});
