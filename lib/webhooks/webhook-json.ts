// What the API shows of a webhook endpoint and a delivery (never a secret), and the input schemas.
import { z } from "zod";
import type { HeaderPair, StoredEvent, WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from "../db/schema";

export type { HeaderPair };
import { SUBSCRIBABLE_TYPES } from "../events/event-types";
import { MAX_WEBHOOK_URL_LENGTH } from "./ssrf-guard";
import { displayName } from "../http/display-name";

export const webhookEventsField = z
  .array(z.enum(["*", ...SUBSCRIBABLE_TYPES]))
  .min(1)
  .max(SUBSCRIBABLE_TYPES.length + 1)
  .refine((list) => !list.includes("*") || list.length === 1, { message: 'use ["*"] alone, or list event types' })
  .transform((list) => [...new Set(list)]);

const url = z.string().trim().min(1).max(MAX_WEBHOOK_URL_LENGTH);
/** A webhook's label: the name rule, with room for a sentence. */
const description = displayName({ max: 500, min: 0, label: "Description" });

export const createWebhookInput = z
  .object({ url, events: webhookEventsField.default(["*"]), description: description.nullish() })
  .strict();

export const updateWebhookInput = z
  .object({ url: url.optional(), events: webhookEventsField.optional(), description: description.nullish(), enabled: z.boolean().optional() })
  .strict();

/** Management routes refuse bodies over 16 KiB (CONTRACT part two). */
export const WEBHOOK_BODY_LIMIT = 16 * 1024;

export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
export const rotateWebhookSecretInput = z
  .object({ overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).default(24 * 3600) })
  .strict();

export type WebhookJson = {
  id: string;
  projectId: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
  previousSecretExpiresAt: string | null;
};

export function webhookJson(row: WebhookEndpoint, now = new Date()): WebhookJson {
  const overlap = row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null;
  return {
    id: row.id,
    projectId: row.projectId,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    previousSecretExpiresAt: overlap ? overlap.toISOString() : null,
  };
}

export type DeliveryJson = {
  id: string;
  eventId: string;
  type: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  responseStatus: number | null;
  responseExcerpt: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  completedAt: string | null;
  /** The body that was (or will be) sent, shortened for the log. */
  requestExcerpt: string;
  /** The key the event is about (from the event's own data), so the log can link to it; null for other events. */
  keyId: string | null;
  keyName: string | null;
};

export function deliveryJson(row: WebhookDelivery, event: Pick<StoredEvent, "type" | "createdAt" | "data">): DeliveryJson {
  const body = JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
  return {
    id: row.id,
    eventId: row.eventId,
    type: event.type,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    responseExcerpt: row.responseExcerpt,
    lastError: row.lastError,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
    requestExcerpt: body.length > 2000 ? `${body.slice(0, 2000)}…` : body,
    ...eventKey(event.data),
  };
}

/** One attempt of a delivery: the request that was sent and what came back (or the error). */
export type AttemptJson = {
  attempt: number;
  startedAt: string;
  durationMs: number;
  url: string;
  /** Null when nothing was sent (see `error`). */
  request: { method: "POST"; headers: HeaderPair[]; body: string } | null;
  /** Null when no answer came (see `error`). */
  response: {
    status: number | null;
    headers: HeaderPair[];
    headersTruncated: boolean;
    /** The first 4 KiB: text, or base64 when `bodyEncoding` is "base64" (the answer was not UTF-8 text). */
    body: string | null;
    bodyEncoding: "utf8" | "base64" | null;
    bodyTruncated: boolean;
  } | null;
  error: string | null;
};

/** `payload`: the delivery's body (eventPayload), which an attempt's stored null request body stands for. */
export function attemptJson(row: WebhookDeliveryAttempt, payload: string): AttemptJson {
  const answered = row.responseStatus !== null || row.responseHeaders !== null;
  return {
    attempt: row.attempt,
    startedAt: row.startedAt.toISOString(),
    durationMs: row.durationMs,
    url: row.url,
    request: row.requestHeaders ? { method: "POST", headers: row.requestHeaders, body: row.requestBody ?? payload } : null,
    response: answered
      ? {
          status: row.responseStatus,
          headers: row.responseHeaders ?? [],
          headersTruncated: row.responseHeadersTruncated,
          body: row.responseBody,
          bodyEncoding: row.responseBodyEncoding,
          bodyTruncated: row.responseBodyTruncated,
        }
      : null,
    error: row.error,
  };
}

function eventKey(data: unknown): { keyId: string | null; keyName: string | null } {
  const key = data && typeof data === "object" && "key" in data ? (data as { key?: { id?: unknown; name?: unknown } }).key : undefined;
  return {
    keyId: typeof key?.id === "string" ? key.id : null,
    keyName: typeof key?.name === "string" ? key.name : null,
  };
}
