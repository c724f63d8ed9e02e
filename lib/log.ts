// Structured logs. Credentials are redacted by path, and request logging never includes bodies or query strings.
import pino from "pino";
import { env } from "./env";

const REDACT = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  'headers["x-api-key"]',
  "*.passwordHash",
];

/**
 * Errors without SQL parameter values: a failed query's message and stack (Drizzle's "Failed query: … params: …")
 * and its `params` would otherwise put whatever was being written (a password hash, a token hash) into the log.
 */
const PARAMS_TAIL = /\nparams: [\s\S]*?(?=\n    at |$)/;
export function safeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  const scrub = (o: Record<string, unknown>, depth: number) => {
    delete o.params;
    delete o.parameters;
    for (const key of ["message", "stack"]) if (typeof o[key] === "string") o[key] = (o[key] as string).replace(PARAMS_TAIL, "\nparams: [redacted]");
    if (o.cause && typeof o.cause === "object" && depth < 5) scrub(o.cause as Record<string, unknown>, depth + 1);
  };
  scrub(out, 0);
  return out;
}

function createLogger() {
  let level = "info";
  try {
    level = env().LOG_LEVEL;
  } catch {
    // Configuration errors are reported by the server entry; logging must still work to say so.
  }
  return pino({
    level,
    base: { app: "keyport" },
    redact: { paths: REDACT, censor: "[redacted]" },
    serializers: { err: safeError, error: safeError },
  });
}

const holder = globalThis as { __keyportLogger?: pino.Logger };
export const logger: pino.Logger = (holder.__keyportLogger ??= createLogger());
