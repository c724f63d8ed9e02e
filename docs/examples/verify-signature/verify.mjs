// Verifies Keyport-Signature on a request the Keyport gateway forwarded to your API (Node 18+, no dependencies).
import { createHmac, timingSafeEqual } from "node:crypto";

export function verifyKeyportSignature(headers, method, pathWithQuery, forwardSecret, toleranceSeconds = 300) {
  const requestId = headers["x-request-id"];
  const timestamp = headers["keyport-timestamp"];
  const keyId = headers["keyport-key-id"];
  const signatures = (headers["keyport-signature"] ?? "").split(" ");
  if (!requestId || !timestamp || !keyId) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const key = Buffer.from(forwardSecret.slice("whsec_".length), "base64");
  const payload = `${requestId}.${timestamp}.${keyId}.${method}.${pathWithQuery}`;
  const expected = Buffer.from(`v1,${createHmac("sha256", key).update(payload).digest("base64")}`);
  return signatures.some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

// Express: app.use((req, res, next) => verifyKeyportSignature(req.headers, req.method, req.originalUrl, process.env.KEYPORT_FORWARD_SECRET) ? next() : res.sendStatus(401));
if (import.meta.url === `file://${process.argv[1]}`) {
  const { headers, method, path, secret } = JSON.parse(process.argv[2]);
  console.log(verifyKeyportSignature(headers, method, path, secret) ? "valid" : "invalid");
}
