// The editable fields of a key, validated the same way on create and on edit.
import { z } from "zod";
import { normalizeCidr } from "./ip-allowlist";
import { SCOPES } from "./scopes";
import { displayName } from "../http/display-name";

export const MAX_ALLOWLIST_ENTRIES = 50;

export const keyName = displayName();

/**
 * Scope names (the catalog's and every registered API's, CONTRACT §13; unknown ones are refused against the registry
 * by assertKnownScopes). Unique, the catalog's first in the order of SCOPES, then the rest sorted, so equal sets compare
 * equal.
 */
export const keyScopes = z
  .array(z.string().max(100, "must be at most 100 characters").regex(/^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/, "must be a scope name such as products:read"))
  .max(200, "must have at most 200 scopes")
  .transform((scopes) => [
    ...SCOPES.filter((s) => scopes.includes(s)),
    ...[...new Set(scopes.filter((s) => !(SCOPES as readonly string[]).includes(s)))].sort(),
  ]);

export const MAX_ALLOWED_ORIGINS = 20;

/**
 * Browser keys: origins the key may be called from — `https://shop.example`, `http://localhost:5173`, or
 * `https://*.shop.example` (any subdomain, not the bare domain). Stored lowercase, without a trailing slash.
 */
export const keyAllowedOrigins = z
  .array(
    z
      .string()
      .max(253, "must be at most 253 characters")
      .transform((v) => v.trim().toLowerCase().replace(/\/+$/, ""))
      .refine(
        (v) => /^https?:\/\/(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/.test(v),
        "must be an origin such as https://shop.example, http://localhost:5173 or https://*.shop.example",
      ),
  )
  .max(MAX_ALLOWED_ORIGINS, `must have at most ${MAX_ALLOWED_ORIGINS} origins`)
  .transform((origins) => [...new Set(origins)]);

/** ISO 8601 date-time; must be in the future (checked against the domain's clock, see assertFutureExpiry). */
export const keyExpiresAt = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2030-01-01T00:00:00Z" })
  .transform((v) => new Date(v));

/** IPv4/IPv6 addresses or CIDRs, stored canonical and deduplicated. */
export const keyIpAllowlist = z
  .array(z.string().max(64))
  .max(MAX_ALLOWLIST_ENTRIES, `must have at most ${MAX_ALLOWLIST_ENTRIES} entries`)
  .transform((entries, ctx) => {
    const out: string[] = [];
    entries.forEach((entry, i) => {
      const cidr = normalizeCidr(entry);
      if (!cidr) ctx.addIssue({ code: "custom", path: [i], message: `${JSON.stringify(entry)} is not an IPv4/IPv6 address or CIDR` });
      else if (!out.includes(cidr)) out.push(cidr);
    });
    return out;
  });

export const MAX_KEY_LABELS = 20;

/** Free-form notes and labels for the key's owners (never used by the gateway). Labels: unique, trimmed, in order. */
export const keyMetadata = z
  .object({
    notes: z.string().max(2000, "must be at most 2000 characters").optional(),
    labels: z
      .array(displayName({ max: 40, label: "Label" }))
      .max(MAX_KEY_LABELS, `must have at most ${MAX_KEY_LABELS} labels`)
      .transform((labels) => [...new Set(labels)])
      .optional(),
  })
  .strict()
  .transform((m) => ({ ...(m.notes?.trim() ? { notes: m.notes.trim() } : {}), ...(m.labels?.length ? { labels: m.labels } : {}) }));
