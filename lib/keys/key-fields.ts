// The editable fields of a key, validated the same way on create and on edit.
import { z } from "zod";
import { normalizeCidr } from "./ip-allowlist";
import { SCOPES } from "./scopes";
import { displayName } from "../http/display-name";

export const MAX_ALLOWLIST_ENTRIES = 50;

export const keyName = displayName();

/** Unique, in the canonical order of SCOPES, so equal sets compare equal. */
export const keyScopes = z
  .array(z.enum(SCOPES))
  .max(SCOPES.length * 4)
  .transform((scopes) => SCOPES.filter((s) => scopes.includes(s)));

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
