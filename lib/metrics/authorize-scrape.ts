// Who may read /metrics: only a scraper presenting METRICS_TOKEN. Unset, the endpoint does not exist (404).
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { ApiError } from "../http/errors";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Throws 404 not_found without METRICS_TOKEN, 401 unauthorized for a missing or wrong bearer token. */
export function authorizeScrape(authorization: string | null): void {
  const token = env().METRICS_TOKEN;
  if (!token) throw new ApiError("not_found", "No such page.");
  const presented = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
  // Compared as digests: equal lengths, constant time, whatever was sent.
  if (!presented || !timingSafeEqual(digest(presented), digest(token))) {
    throw new ApiError("unauthorized", "Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.", {
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
    });
  }
}
