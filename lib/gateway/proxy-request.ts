// The gateway door (/gw/{slug}/{path}): the one decision (decide.ts), then a streaming proxy to the API's upstream.
// Bodies stay streams both ways (HOUSE-STYLE 17): the request body is piped to undici with back-pressure and counted
// against maxBodyBytes; the upstream body is handed to the response as it arrives (server-sent events reach the client
// event by event). The client going away aborts the upstream request; an upstream silent for timeoutMs is cut.
import { observeUpstream } from "../metrics/registry";
import { Readable, Transform } from "node:stream";
import { errors as undiciErrors } from "undici";
import { findRegisteredApi, type RegisteredApi } from "../apis/api-registry";
import { signForward } from "../apis/forward-secret";
import { getDb } from "../db/client";
import { appUrl } from "../env";
import { ApiError, isApiError } from "../http/errors";
import { errorResponse } from "../http/problem";
import { RAW_TARGET_HEADER } from "../http/request-path";
import type { RouteMeta } from "../http/route";
import { SsrfError } from "../webhooks/ssrf-guard";
import { getTier, cachedTier } from "../ratelimit/get-tier";
import { decide } from "./decide";
import { logApiRequest, logRefusedRequest } from "./log-request";
import { meter } from "./meter";
import { isPreflight, preflightResponse, requestOrigin, setCorsHeaders } from "./origins";
import { pullStream } from "./pull-stream";
import { upstreamPool } from "./upstream-pool";
import type { VerifiedKey } from "./types";
import { credentialsOf, withBearerChallenge } from "./with-api-key";

/** RFC 9110 §7.6.1 hop-by-hop headers, plus what a proxy must not forward either way. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"]);
const NOT_UPSTREAM = new Set(["authorization", "x-api-key", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "x-request-id"]);
const NOT_DOWNSTREAM = new Set(["set-cookie", "set-cookie2", "x-request-id"]);

export type GatewayParams = { slug: string; path?: string[] };

/**
 * Slug, path and query of a gateway request. The path comes from the parsed URL (dot segments resolved, so
 * `/gw/a/../b` cannot reach another API's upstream path); the query from the raw request target, as the client sent it.
 */
function splitGatewayUrl(request: Request): { slug: string; path: string; search: string } {
  const url = request.url;
  const at = url.indexOf("/gw/", url.indexOf("//") + 2);
  const q = url.indexOf("?", at);
  const pathname = url.slice(at + 4, q < 0 ? undefined : q);
  const slash = pathname.indexOf("/");
  const raw = request.headers.get(RAW_TARGET_HEADER);
  const rawQ = raw ? raw.indexOf("?") : -1;
  return {
    slug: slash < 0 ? pathname : pathname.slice(0, slash),
    path: slash < 0 ? "/" : pathname.slice(slash),
    search: raw ? (rawQ < 0 ? "" : raw.slice(rawQ)) : q < 0 ? "" : url.slice(q),
  };
}

export async function proxyRequest(request: Request, meta: RouteMeta<GatewayParams>): Promise<Response> {
  const { slug, path, search } = splitGatewayUrl(request);
  const api = await findRegisteredApi(getDb, slug);
  if (isPreflight(request)) {
    if (!api) throw new ApiError("route_not_found", `No API is registered as ${JSON.stringify(slug.slice(0, 40))}.`);
    const methods = api.routes.methodsFor(path);
    if (methods.length === 0) throw new ApiError("route_not_found", "No API route matches this path.");
    return preflightResponse(request.headers.get("origin")!, methods);
  }
  const startedAt = performance.now();
  const at = new Date();
  const origin = request.headers.has("origin") || request.headers.has("referer") ? requestOrigin(request.headers) : null;
  // HEAD is answered by the GET route (the upstream answers it without a body).
  const rule = api?.routes.match(request.method === "HEAD" ? "GET" : request.method, path) ?? null;
  // Bounded usage labels: the route's template; an unmatched call is filed under its API (or one label for all unknown slugs).
  const endpoint = rule ? `${request.method} /gw/${slug}${rule.path}` : api ? `${request.method} /gw/${slug}/(unmatched)` : `${request.method} /gw/(unknown)`;
  const logged = { method: request.method, url: `http://gateway${endpoint.slice(endpoint.indexOf(" ") + 1)}` };
  const declared = Number(request.headers.get("content-length") ?? 0);
  const decision = await decide({
    credentials: () => credentialsOf(request),
    ip: meta.ip,
    origin,
    rule,
    limitByIp: true,
    now: at,
    beforeCharge: () => {
      if (api && declared > api.maxBodyBytes) throw tooLarge(api.maxBodyBytes);
    },
  });
  if (!decision.ok && decision.key === null) {
    const refusal = withBearerChallenge(decision.error);
    logRefusedRequest(logged, meta, refusal, decision.cause, at, startedAt);
    throw refusal;
  }
  const key = decision.key;
  let response: Response;
  let failure: unknown = null;
  if (decision.ok) {
    const calledAt = performance.now();
    try {
      response = await forward(request, meta, api!, key, path + search);
      observeUpstream(api!.slug, (performance.now() - calledAt) / 1000, "ok");
    } catch (error) {
      failure = error;
      response = errorResponse(error, meta.requestId);
      const code = isApiError(error) ? error.code : null;
      if (code === "upstream_unavailable" || code === "upstream_timeout") observeUpstream(api!.slug, (performance.now() - calledAt) / 1000, code === "upstream_timeout" ? "timeout" : "unavailable");
    }
  } else {
    failure = decision.error;
    response = errorResponse(failure, meta.requestId);
  }
  for (const name in decision.limitHeaders) response.headers.set(name, decision.limitHeaders[name]);
  if (origin && key.allowedOrigins.length > 0 && !(isApiError(failure) && failure.code === "origin_not_allowed")) setCorsHeaders(response.headers, origin);
  logApiRequest(logged, meta, key, response.status, failure, at, startedAt);
  // Counted once the status is known (a streamed body may run for minutes); latency is the time to the headers.
  // Billable (CONTRACT §14): charged, and the upstream answered below 500 (its own 4xx bill; 502/504 never do).
  await meter({ keyId: key.keyId, projectId: key.projectId, endpoint, status: response.status, latencyMs: performance.now() - startedAt, at, billable: decision.ok && response.status < 500 ? decision.cost : 0 });
  return response;
}

const tooLarge = (max: number) => new ApiError("payload_too_large", `The request body is larger than this API accepts (${max} bytes).`);

async function forward(request: Request, meta: RouteMeta<GatewayParams>, api: RegisteredApi, key: VerifiedKey, pathWithQuery: string): Promise<Response> {
  const upstream = new URL(api.upstreamUrl);
  const upstreamPath = `${upstream.pathname.replace(/\/$/, "")}${pathWithQuery}`;
  const headers = await upstreamHeaders(request, meta, api, key, upstreamPath);
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>).pipe(byteLimit(api.maxBodyBytes)) : null;
  let answer;
  try {
    answer = await upstreamPool(upstream.origin).request({
      path: upstreamPath,
      method: request.method as "GET",
      headers,
      body,
      signal: request.signal,
      headersTimeout: api.timeoutMs,
      bodyTimeout: api.timeoutMs,
    });
  } catch (error) {
    throw upstreamFailure(error, api);
  }
  const out = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || NOT_DOWNSTREAM.has(lower) || value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const v of value) out.append(name, v);
      else out.set(name, value);
    } catch {
      // A value the Fetch API cannot carry (a stray control character): dropped, never a 500.
    }
  }
  const status = answer.statusCode;
  if (status < 200 || status > 599) {
    answer.body.destroy();
    throw new ApiError("upstream_unavailable", `The ${api.name} API answered with an invalid status (${status}).`);
  }
  const empty = status === 204 || status === 304 || request.method === "HEAD";
  if (empty) answer.body.resume();
  const stream = empty ? null : pullStream(answer.body);
  return new Response(stream, { status, headers: out });
}

/** Counts request-body bytes as they pass; over the limit the upstream request is aborted (chunked bodies have no length). */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(tooLarge(max));
      else done(null, chunk);
    },
  });
}

function upstreamFailure(error: unknown, api: RegisteredApi): unknown {
  if (isApiError(error)) return error;
  const cause = (error as { cause?: unknown })?.cause;
  if (isApiError(cause)) return cause;
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new ApiError("upstream_timeout", `The ${api.name} API did not answer within ${api.timeoutMs} ms.`);
  }
  if (error instanceof SsrfError || cause instanceof SsrfError) {
    return new ApiError("upstream_unavailable", `The ${api.name} API's upstream address is refused (UPSTREAM_ALLOW_PRIVATE=false).`);
  }
  if (error instanceof Error && error.name === "AbortError") return new ApiError("upstream_unavailable", "The client went away.");
  return new ApiError("upstream_unavailable", `The ${api.name} API could not be reached.`);
}

async function upstreamHeaders(request: Request, meta: RouteMeta<GatewayParams>, api: RegisteredApi, key: VerifiedKey, upstreamPath: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const named = new Set((request.headers.get("connection") ?? "").toLowerCase().split(",").map((s) => s.trim()));
  for (const [name, value] of request.headers) {
    if (HOP_BY_HOP.has(name) || NOT_UPSTREAM.has(name) || named.has(name) || name.startsWith("keyport-") || name.startsWith("x-keyport-")) continue;
    out[name] = value;
  }
  const publicUrl = new URL(appUrl());
  const tier = cachedTier(key.tierId) ?? (await getTier(await getDb(), key.tierId));
  const timestamp = Math.floor(Date.now() / 1000);
  const now = Date.now();
  const keys = api.signingKeys.filter((k) => k.expiresAt === null || k.expiresAt > now).map((k) => k.key);
  Object.assign(out, {
    "x-forwarded-for": meta.ip,
    "x-forwarded-proto": publicUrl.protocol.replace(":", ""),
    "x-forwarded-host": publicUrl.host,
    "x-request-id": meta.requestId,
    "keyport-key-id": key.keyId,
    "keyport-project-id": key.projectId,
    "keyport-team-id": key.teamId,
    "keyport-environment": key.environment,
    "keyport-tier": tier?.name ?? "",
    "keyport-scopes": key.scopes.join(" "),
    "keyport-timestamp": String(timestamp),
    "keyport-signature": signForward(keys, { requestId: meta.requestId, timestamp, keyId: key.keyId, method: request.method, pathWithQuery: upstreamPath }),
  });
  return out;
}
