// Forward secrets (`whsec_<base64 of 32 random bytes>`) and the Keyport-Signature they make (CONTRACT §13).
import { createHmac, randomBytes } from "node:crypto";

/** How long the previous secret keeps signing after a rotation. */
export const FORWARD_SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

export const generateForwardSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** The HMAC key: the base64-decoded part after "whsec_". */
export const forwardSecretKey = (secret: string) => Buffer.from(secret.slice("whsec_".length), "base64");

export type SignatureInput = { requestId: string; timestamp: number; keyId: string; method: string; pathWithQuery: string };

/** `v1,<base64 HMAC-SHA256 of "{requestId}.{timestamp}.{keyId}.{METHOD}.{path?query}">`, one per secret, space-separated. */
export function signForward(keys: readonly Buffer[], input: SignatureInput): string {
  const payload = `${input.requestId}.${input.timestamp}.${input.keyId}.${input.method}.${input.pathWithQuery}`;
  return keys.map((key) => `v1,${createHmac("sha256", key).update(payload).digest("base64")}`).join(" ");
}
