// The docs' try-it console (POST /api/manage/v1/console/requests): runs one operation of an API for a signed-in
// developer with a console key of the chosen project, through the API's real door — /gw/{slug} for a registered API,
// /api/v1 for the catalog — over loopback, so the call passes the same pipeline as any client's: key checks, limits,
// credits, metering and the request log. What comes back is the answer as the client would see it, its body cut at
// TRY_RESPONSE_MAX_BYTES.
import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { getPublicApi } from "../apis/list-apis";
import { compileRoutes } from "../apis/match-route";
import type { AuditActor } from "../audit/record-event";
import { env } from "../env";
import { ApiError } from "../http/errors";
import type { Actor } from "../teams/authorize";
import { acquireConsoleKey } from "./acquire-console-key";

/** The largest request the console endpoint reads (the operation's body is inside it). */
export const TRY_BODY_MAX_BYTES = 128 * 1024;
/** The most of an answer's body handed back to the browser. */
export const TRY_RESPONSE_MAX_BYTES = 256 * 1024;
/** The longest a console call may take, headers and body together (a registered API's own timeout is at most 60 s). */
const TRY_TIMEOUT_MS = 65_000;

const CONTROL = /[\u0000-\u001f\u007f]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers the console sets itself, or that would smuggle credentials or hop-by-hop state. */
const RESERVED = new Set(["authorization", "x-api-key", "cookie", "host", "content-length", "connection", "transfer-encoding", "te", "upgrade", "keep-alive", "proxy-authorization", "origin", "referer", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded", "x-request-id"]);

/**
 * Left out of the headers handed back: the loopback connection's own (hop-by-hop), and the body's encoding and length,
 * which describe the bytes on the wire, not the decoded body the console shows.
 */
const NOT_SHOWN = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-encoding", "content-length"]);

const noDotSegments = (path: string) =>
  path.split("/").every((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded !== "." && decoded !== "..";
  });

const queryValue = z.string().max(2000).refine((v) => !CONTROL.test(v), "must not contain control characters");

export const tryRequestInput = z.strictObject({
  projectId: z.string().min(1).max(100),
  /** The API's slug ("catalog" for the built-in /api/v1). */
  api: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be an API slug"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  /** The operation's path with its parameters filled in, under the API's base path: "/orders/42". */
  path: z
    .string()
    .min(1)
    .max(2048)
    .regex(/^\/[^?#]*$/, "must start with / and hold no ? or #")
    .refine((p) => !CONTROL.test(p) && !p.includes("\\"), "must not contain control characters or backslashes")
    .refine(noDotSegments, "must not contain . or .. segments"),
  query: z
    .record(z.string().min(1).max(200), z.union([queryValue, z.array(queryValue).max(20)]))
    .refine((q) => Object.keys(q).length <= 50, "at most 50 parameters")
    .default({}),
  headers: z
    .record(
      z.string().regex(TOKEN, "must be a header name").refine((n) => !RESERVED.has(n.toLowerCase()) && !n.toLowerCase().startsWith("keyport-"), "is set by the console"),
      z.string().max(4000).refine((v) => !CONTROL.test(v.replace(/\t/g, " ")), "must not contain control characters"),
    )
    .refine((h) => Object.keys(h).length <= 30, "at most 30 headers")
    .default({}),
  /** The JSON body to send (absent: none). */
  body: z.unknown().optional(),
  /** "test" (default: the catalog's sandbox, and Keyport-Environment: test for other APIs) or "live". */
  environment: z.enum(["live", "test"]).default("test"),
});

export type TryRequestInput = z.infer<typeof tryRequestInput>;

export type TryResult = {
  status: number;
  headers: { name: string; value: string }[];
  /** The answer's body as text (UTF-8), at most TRY_RESPONSE_MAX_BYTES of it. */
  body: string;
  /** Bytes of the body that were read (at most TRY_RESPONSE_MAX_BYTES + what the last chunk held). */
  bodyBytes: number;
  /** Why the body is incomplete: "size" (over TRY_RESPONSE_MAX_BYTES) or "time" (still arriving at the deadline). */
  truncated: null | "size" | "time";
  durationMs: number;
  /** The X-Request-Id of the call, as the request log files it. */
  requestId: string | null;
  /** The console key used (never its secret). */
  key: { id: string; start: string; expiresAt: string; environment: "live" | "test" };
  /** The URL called, as a client would (no key in it). */
  url: string;
};

export type TryOperationOptions = { member: Actor; actor: AuditActor; input: TryRequestInput; ip: string; now?: Date };

export async function tryOperation(db: Db, options: TryOperationOptions): Promise<TryResult> {
  const { input } = options;
  const api = await getPublicApi(db, input.api);
  if (!api) throw new ApiError("not_found", "No such API.");
  const route = compileRoutes(api.routes).match(input.method, input.path);
  if (!route) throw new ApiError("route_not_found", `The ${api.name} API has no ${input.method} operation at ${input.path.slice(0, 200)}.`);
  if (input.body !== undefined && input.method === "GET") {
    throw new ApiError("validation_failed", "Request body failed validation: body: a GET request has no body", { errors: [{ path: "body", message: "a GET request has no body" }] });
  }

  const key = await acquireConsoleKey(db, {
    projectId: input.projectId,
    member: options.member,
    actor: options.actor,
    scopes: route.scopes,
    environment: input.environment,
    ip: options.ip,
    now: options.now,
  });

  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query)) for (const v of Array.isArray(value) ? value : [value]) search.append(name, v);
  const qs = search.toString();
  const pathAndQuery = `${api.basePath}${input.path}${qs ? `?${qs}` : ""}`;
  const headers = new Headers(input.headers);
  headers.set("Authorization", `Bearer ${key.secret}`);
  // Behind trusted proxies the loopback call names the developer's address as the hop before it.
  if (env().TRUSTED_PROXIES > 0) headers.set("X-Forwarded-For", options.ip);
  const hasBody = input.body !== undefined;
  if (hasBody) headers.set("Content-Type", headers.get("content-type") ?? "application/json");

  const startedAt = performance.now();
  const signal = AbortSignal.timeout(TRY_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${env().PORT}${pathAndQuery}`, {
      method: input.method,
      headers,
      body: hasBody ? JSON.stringify(input.body) : undefined,
      redirect: "manual",
      signal,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw timedOut ? new ApiError("upstream_timeout", "The call did not answer in time.") : new ApiError("upstream_unavailable", "The portal could not reach its own API door.");
  }
  const { text, bytes, truncated } = await readCapped(response, TRY_RESPONSE_MAX_BYTES);
  return {
    status: response.status,
    headers: [...response.headers].filter(([name]) => !NOT_SHOWN.has(name)).map(([name, value]) => ({ name, value })),
    body: text,
    bodyBytes: bytes,
    truncated,
    durationMs: Math.round(performance.now() - startedAt),
    requestId: response.headers.get("x-request-id"),
    key: { id: key.keyId, start: key.start, expiresAt: key.expiresAt.toISOString(), environment: input.environment },
    url: `${api.basePath}${input.path}${qs ? `?${qs}` : ""}`,
  };
}

/** Reads up to max bytes of the body; the rest is cancelled, and a body still streaming at the deadline is cut there. */
async function readCapped(response: Response, max: number): Promise<{ text: string; bytes: number; truncated: TryResult["truncated"] }> {
  if (!response.body) return { text: "", bytes: 0, truncated: null };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated: TryResult["truncated"] = null;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      truncated = "time";
      break;
    }
    if (step.done) break;
    const room = max - bytes;
    if (step.value.byteLength > room) {
      chunks.push(step.value.subarray(0, room));
      bytes += room;
      truncated = "size";
      break;
    }
    chunks.push(step.value);
    bytes += step.value.byteLength;
  }
  if (truncated) await reader.cancel().catch(() => {});
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  return { text, bytes, truncated };
}
