// GET /metrics — Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>`; 404 while METRICS_TOKEN is unset
import { otherMethods } from "@/lib/http/method-not-allowed";
import { authorizeScrape } from "@/lib/metrics/authorize-scrape";
import { METRICS_CONTENT_TYPE } from "@/lib/metrics/registry";
import { route } from "@/lib/http/route";
import { scrapeMetrics } from "@/lib/ops/scrape-metrics";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  authorizeScrape(request.headers.get("authorization"));
  return new Response(await scrapeMetrics(), { headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
