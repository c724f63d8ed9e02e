import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-style ids: a readable type prefix and 20 random base62 characters, e.g. "key_3k9Xq…". */
export type IdPrefix =
  | "usr" | "prj" | "key" | "sec" | "tok" | "tier"
  | "ses" | "etk" | "rc" | "mail" | "team" | "inv" | "whk" | "evt" | "dlv" | "ntf"
  | "bev" | "api" | "rte" | "fws" | "svc" | "idn";

export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(20);
  let body = "";
  for (const b of bytes) body += ALPHABET[b % 62];
  return `${prefix}_${body}`;
}
