// OpenTelemetry traces (CONTRACT §16), off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. The server entry imports this
// module FIRST, before anything loads pg, ioredis or undici, so the instrumentations can hook those modules as they
// are required: a span per HTTP request (instrumentation-http), with child spans for PostgreSQL queries, Redis
// commands and outgoing calls (node:http, and fetch/undici); server.ts adds the request id and the route template.
// Off, nothing here is even loaded: the request path pays one boolean check.
import { env } from "../env";
import { onShutdown } from "../lifecycle";

type Tracing = { enabled: boolean };
const state: Tracing = ((globalThis as { __keyportTracing?: Tracing }).__keyportTracing ??= { enabled: false });

/** Whether spans are being recorded and exported. */
export const tracingEnabled = (): boolean => state.enabled;

/**
 * Starts the tracer provider and the instrumentations once, if configured. The OTLP/HTTP exporter reads the standard
 * OTEL_* variables itself (endpoint, headers, timeout); OTEL_SERVICE_NAME overrides the service name "keyport".
 */
export function startTracing(): void {
  if (state.enabled) return;
  let endpoint: string | undefined;
  try {
    endpoint = env().OTEL_EXPORTER_OTLP_ENDPOINT;
  } catch {
    // Invalid configuration: the server entry reports it and exits; no tracing to start.
    return;
  }
  if (!endpoint) return;
  // Loaded synchronously and only when on: the hooks must be in place before the first `require("pg")`.
  /* eslint-disable @typescript-eslint/no-require-imports -- see above; an `import` would load the SDK when off too */
  const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node") as typeof import("@opentelemetry/sdk-trace-node");
  const { BatchSpanProcessor } = require("@opentelemetry/sdk-trace-base") as typeof import("@opentelemetry/sdk-trace-base");
  const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http") as typeof import("@opentelemetry/exporter-trace-otlp-http");
  const { registerInstrumentations } = require("@opentelemetry/instrumentation") as typeof import("@opentelemetry/instrumentation");
  const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http") as typeof import("@opentelemetry/instrumentation-http");
  const { PgInstrumentation } = require("@opentelemetry/instrumentation-pg") as typeof import("@opentelemetry/instrumentation-pg");
  const { IORedisInstrumentation } = require("@opentelemetry/instrumentation-ioredis") as typeof import("@opentelemetry/instrumentation-ioredis");
  const { UndiciInstrumentation } = require("@opentelemetry/instrumentation-undici") as typeof import("@opentelemetry/instrumentation-undici");
  const { detectResources, envDetector, resourceFromAttributes } = require("@opentelemetry/resources") as typeof import("@opentelemetry/resources");
  /* eslint-enable @typescript-eslint/no-require-imports */

  const resource = resourceFromAttributes({ "service.name": "keyport" }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Incoming requests (the span per request), and outgoing node:http calls (webhook deliveries).
      new HttpInstrumentation(),
      // Statement text only (never the parameters: they can be secrets' hashes, emails, tokens).
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // Command names only: arguments carry usage counts, journal entries and ids that tell nothing about latency.
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
      new UndiciInstrumentation(),
    ],
  });
  state.enabled = true;
  // Spans still in the batch are sent before the process exits.
  onShutdown(() => provider.shutdown().catch(() => {}), "close");
}

startTracing();
