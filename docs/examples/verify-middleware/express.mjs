// Keyport verify API middleware for Express (the README's copy-paste version; the e2e runs this file).
// Needs KEYPORT_URL and KEYPORT_SERVICE_TOKEN (a service token created by a Keyport site admin).
/* eslint-disable no-restricted-properties -- an example for the provider's own app, which reads its own env */
export async function keyportVerify({ key, api, method, path, ip, origin }) {
  if (!key) return { valid: false, code: "INVALID_KEY", key: null, headers: {} };
  const res = await fetch(`${process.env.KEYPORT_URL}/api/verify`, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.KEYPORT_SERVICE_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ key, api, method, path, ip, ...(origin ? { origin } : {}) }),
  });
  if (!res.ok) throw new Error(`Keyport verify answered ${res.status}`);
  return res.json(); // { valid, code, key, ratelimit, headers, … }
}
const keyOf = (authorization, apiKey) => apiKey ?? /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
const statusOf = (code) => (code.startsWith("INVALID") || code === "REVOKED" || code === "EXPIRED" ? 401 : ["RATE_LIMITED", "QUOTA_EXCEEDED", "CREDITS_EXHAUSTED"].includes(code) ? 429 : code === "ROUTE_NOT_FOUND" ? 404 : code === "LIMITER_UNAVAILABLE" ? 503 : 403);

export const keyport = (api) => async (req, res, next) => {
  const v = await keyportVerify({ key: keyOf(req.get("authorization"), req.get("x-api-key")), api, method: req.method, path: req.path, ip: req.ip, origin: req.get("origin") });
  res.set(v.headers);
  if (!v.valid) return res.status(statusOf(v.code)).json({ code: v.code });
  req.keyport = v.key;
  next();
};
