// A local HTTP server standing in for Stripe's API in tests: it validates every POST /v1/billing/meter_events against
// Stripe's published OpenAPI description of that operation (tests/fixtures/stripe-meter-events.openapi.json — the
// fields, their types, which are required, nothing else allowed), the Bearer key and the Idempotency-Key, and records
// what was accepted. Like Stripe, a repeated Idempotency-Key is answered again without counting twice.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import path from "node:path";
import Ajv from "ajv";

export type MeterEvent = { event_name: string; identifier: string; timestamp: number; payload: Record<string, string> };

export type StripeServer = {
  url: string;
  /** Events accepted once each (by identifier), in arrival order. */
  accepted: MeterEvent[];
  /** Every request received, valid or not, with the answer given. */
  requests: { identifier: string | null; status: number; problems: string[] }[];
  /** Answers the next requests with these statuses instead (then normal again); 0 = drop the connection. */
  failNext: (...statuses: number[]) => void;
  /** Every request whose identifier matches is answered with this status (null clears it). */
  failMatching: (pattern: RegExp | null, status?: number) => void;
  close: () => Promise<void>;
};

const spec = JSON.parse(readFileSync(path.resolve(__dirname, "../fixtures/stripe-meter-events.openapi.json"), "utf8"));
const operation = spec.paths["/v1/billing/meter_events"].post;
const media = operation.requestBody.content["application/x-www-form-urlencoded"];
const ajv = new Ajv({ allErrors: true, strict: false });
// Stripe's own format for Unix seconds.
ajv.addFormat("unix-time", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 });
const validateBody = ajv.compile(media.schema);

/** Form fields → the object the schema describes, honouring the operation's deepObject encodings (`payload[k]=v`). */
function decodeForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const schemaProps = media.schema.properties as Record<string, { type: string }>;
  for (const [name, value] of new URLSearchParams(text)) {
    const deep = /^([a-z_]+)\[([^\]]*)\]$/.exec(name);
    if (deep && media.encoding?.[deep[1]]?.style === "deepObject") {
      const prop = schemaProps[deep[1]];
      if (prop?.type === "array") ((out[deep[1]] ??= []) as unknown[]).push(value);
      else ((out[deep[1]] ??= {}) as Record<string, string>)[deep[2]] = value;
      continue;
    }
    // Form values are text; the schema's scalar types say how to read them (an integer must be all digits).
    const type = schemaProps[name]?.type;
    out[name] = type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });

export async function startStripeServer({ secretKey }: { secretKey: string }): Promise<StripeServer> {
  const accepted: MeterEvent[] = [];
  const seen = new Map<string, number>();
  const requests: StripeServer["requests"] = [];
  const queued: number[] = [];
  let matching: { pattern: RegExp; status: number } | null = null;

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = (status: number, json: unknown, identifier: string | null, problems: string[] = []) => {
      requests.push({ identifier, status, problems });
      res.writeHead(status, { "Content-Type": "application/json", "Request-Id": `req_${requests.length}` });
      res.end(JSON.stringify(json));
    };
    const error = (status: number, message: string, identifier: string | null, problems: string[] = []) =>
      answer(status, { error: { type: "invalid_request_error", message } }, identifier, problems);

    if (req.method !== "POST" || req.url !== "/v1/billing/meter_events") return error(404, `Unrecognized request URL (${req.method}: ${req.url})`, null);
    if (req.headers.authorization !== `Bearer ${secretKey}`) return error(401, "Invalid API Key provided", null, ["authorization"]);
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return error(400, "Content-Type must be application/x-www-form-urlencoded", null, ["content-type"]);
    }
    const event = decodeForm(body);
    const identifier = typeof event.identifier === "string" ? event.identifier : null;
    const injected = queued.shift();
    if (injected === 0) return void req.socket.destroy();
    if (injected) return error(injected, "injected failure", identifier);
    if (matching && identifier && matching.pattern.test(identifier)) return error(matching.status, "injected failure for this identifier", identifier);

    const problems: string[] = [];
    if (!validateBody(event)) for (const e of validateBody.errors ?? []) problems.push(`${e.instancePath || "(body)"} ${e.message}`);
    if (req.headers["idempotency-key"] !== identifier) problems.push("Idempotency-Key must equal identifier");
    if (problems.length > 0) return error(400, problems.join("; "), identifier, problems);
    const meterEvent = event as unknown as MeterEvent;
    if (identifier && seen.has(identifier)) {
      // Stripe answers a repeated idempotency key with the first answer; the event is not counted again.
      return answer(200, { object: "billing.meter_event", identifier, event_name: meterEvent.event_name }, identifier);
    }
    if (identifier) seen.set(identifier, accepted.length);
    accepted.push(meterEvent);
    answer(
      200,
      { object: "billing.meter_event", created: Math.floor(Date.now() / 1000), event_name: meterEvent.event_name, identifier, livemode: false, payload: meterEvent.payload, timestamp: meterEvent.timestamp },
      identifier,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    requests,
    failNext: (...statuses) => queued.push(...statuses),
    failMatching: (pattern, status = 400) => (matching = pattern ? { pattern, status } : null),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
