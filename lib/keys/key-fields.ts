// The editable fields of a key, validated the same way on create and on edit.
import { z } from "zod";
import { normalizeCidr } from "./ip-allowlist";
import { SCOPES } from "./scopes";

export const MAX_ALLOWLIST_ENTRIES = 50;

export const keyName = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

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
