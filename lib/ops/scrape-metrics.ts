// What GET /metrics answers: the gauges measured at scrape time (outbox queues), then the registry as Prometheus text.
import { getDb } from "../db/client";
import { renderMetrics } from "../metrics/registry";
import { measureOutboxes } from "./measure-outboxes";

export async function scrapeMetrics(): Promise<string> {
  await measureOutboxes(await getDb());
  return renderMetrics();
}
