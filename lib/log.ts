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

function createLogger() {
  let level = "info";
  try {
    level = env().LOG_LEVEL;
  } catch {
    // Configuration errors are reported by the server entry; logging must still work to say so.
  }
  return pino({ level, base: { app: "keyport" }, redact: { paths: REDACT, censor: "[redacted]" } });
}

const holder = globalThis as { __keyportLogger?: pino.Logger };
export const logger: pino.Logger = (holder.__keyportLogger ??= createLogger());
