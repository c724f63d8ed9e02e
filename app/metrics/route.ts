// GET /metrics — Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>`; 404 while METRICS_TOKEN is unset
import { getDb } from "@/lib/db/client";
import { authorizeScrape } from "@/lib/metrics/authorize-scrape";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics/registry";
import { route } from "@/lib/http/route";
import { measureOutboxes } from "@/lib/ops/measure-outboxes";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  authorizeScrape(request.headers.get("authorization"));
  await measureOutboxes(await getDb());
  return new Response(await renderMetrics(), { headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
});
