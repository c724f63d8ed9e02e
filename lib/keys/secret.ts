// Secret format shared by API keys and management tokens: scannable prefix, CSPRNG body, CRC32 checksum.
//   API key:          <prefix>_<env>_<body><check>   e.g. kp_live_<32 base62><6 base62>
//   management token: <prefix>m_<body><check>        e.g. kpm_<32 base62><6 base62>
// The checksum is the CRC32 of everything before it, written as 6 base62 digits, so a leak scanner (or we) can
// reject a mistyped or made-up string without a database lookup.
import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const BODY_LENGTH = 32;
export const CHECK_LENGTH = 6;
export type KeyEnvironment = "live" | "test";

/** 32 uniform base62 characters (~190.5 bits), by rejection sampling so no character is favoured. */
export function randomBody(length = BODY_LENGTH): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]; // 248 = 62 * 4: keep only bytes that map evenly
      if (out.length === length) break;
    }
  }
  return out;
}

export function checksum(payload: string): string {
  let n = crc32(payload);
  let out = "";
  for (let i = 0; i < CHECK_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** SHA-256, hex. The one-shot hash: this runs on every metered request, and it costs a third of a Hash object. */
export const hashSecret = (secret: string) => hash("sha256", secret, "hex");

export type IssuedSecret = { secret: string; hash: string; start: string; last4: string };

function issue(head: string): IssuedSecret {
  const body = randomBody();
  const payload = head + body;
  const secret = payload + checksum(payload);
  return { secret, hash: hashSecret(secret), start: head + body.slice(0, 4), last4: secret.slice(-4) };
}

export const generateApiKeySecret = (prefix: string, environment: KeyEnvironment) => issue(`${prefix}_${environment}_`);
export const generateManagementToken = (prefix: string) => issue(`${prefix}m_`);
/** Verify API service token: <prefix>s_<body><check> (CONTRACT §13). */
export const generateServiceToken = (prefix: string) => issue(`${prefix}s_`);

const API_KEY_PATTERN = /^([a-z]{2,8})_(live|test)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;
const TOKEN_PATTERN = /^([a-z]{2,8})m_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;
const SERVICE_TOKEN_PATTERN = /^([a-z]{2,8})s_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

export type ParsedApiKey = { prefix: string; environment: KeyEnvironment; hash: string };

/** Format + prefix + checksum, with no I/O. Returns null for anything that cannot be one of our keys. */
export function parseApiKeySecret(secret: string, expectedPrefix: string): ParsedApiKey | null {
  if (secret.length > 64) return null;
  const m = API_KEY_PATTERN.exec(secret);
  if (!m || m[1] !== expectedPrefix) return null;
  const payload = secret.slice(0, -CHECK_LENGTH);
  if (checksum(payload) !== m[4]) return null;
  return { prefix: m[1], environment: m[2] as KeyEnvironment, hash: hashSecret(secret) };
}

export function parseManagementToken(token: string, expectedPrefix: string): { hash: string } | null {
  if (token.length > 64) return null;
  const m = TOKEN_PATTERN.exec(token);
  if (!m || m[1] !== expectedPrefix) return null;
  if (checksum(token.slice(0, -CHECK_LENGTH)) !== m[3]) return null;
  return { hash: hashSecret(token) };
}

export function parseServiceToken(token: string, expectedPrefix: string): { hash: string } | null {
  if (token.length > 64) return null;
  const m = SERVICE_TOKEN_PATTERN.exec(token);
  if (!m || m[1] !== expectedPrefix) return null;
  if (checksum(token.slice(0, -CHECK_LENGTH)) !== m[3]) return null;
  return { hash: hashSecret(token) };
}

/** True for anything shaped like one of our secrets (used to keep them out of logs and URLs). */
export const looksLikeSecret = (value: string, prefix: string) =>
  new RegExp(`${prefix}(?:_(?:live|test)_|m_|s_)[0-9A-Za-z]{38}`).test(value);
