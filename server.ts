// Server entry for `npm run dev` and `npm start`: validates configuration, migrates, then serves Next.js with the
// client IP decided here (from the socket and TRUSTED_PROXIES) and a clean shutdown that flushes buffered usage.
import { createServer } from "node:http";
import next from "next";
import { CLIENT_IP_HEADER, resolveClientIp } from "./lib/http/client-ip";
import { refuseMalformedRequest } from "./lib/http/malformed-request";
import { REQUEST_ID_HEADER, newRequestId } from "./lib/http/request-id";
import { REQUEST_PATH_HEADER, requestPath } from "./lib/http/request-path";
import { EnvError, ensureAuthSecret, env, isProduction, limiterMode } from "./lib/env";
import { closeDatabase, getDatabase } from "./lib/db/client";
import { migrateDatabase } from "./lib/db/migrate";
import { runShutdownHooks } from "./lib/lifecycle";
import { logger } from "./lib/log";

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

  const database = await getDatabase();
  await migrateDatabase(database);
  logger.info({ database: database.kind }, database.kind === "pglite" ? "embedded PGlite database ready" : "PostgreSQL ready");
  const mode = limiterMode(config);
  if (mode === "memory") logger.warn("rate limits: in-process limiter (single instance only)");
  else logger.info({ limiter: mode }, `rate limits: ${mode === "redis" ? "Redis" : "Upstash"} through @upstash/ratelimit`);

  const app = next({ dev, port: config.PORT, hostname: "0.0.0.0" });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = resolveClientIp(
      req.socket.remoteAddress,
      req.headers["x-forwarded-for"],
      config.TRUSTED_PROXIES,
    );
    // One id per request, chosen here (never by the client), echoed on every response and in every problem body.
    const requestId = newRequestId();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);
    if (refuseMalformedRequest(req, res, requestId)) return;
    req.headers[REQUEST_PATH_HEADER] = requestPath(req.url);
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(config.PORT, () => logger.info({ port: config.PORT, dev }, `Keyport listening on http://localhost:${config.PORT}`));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    server.closeIdleConnections();
    await runShutdownHooks();
    await closeDatabase().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  logger.fatal({ err: error }, "failed to start");
  process.exit(1);
});
