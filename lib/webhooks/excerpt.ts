// What a delivery attempt keeps of an HTTP answer for the delivery log: the first 4 KiB of the body and the headers,
// bounded. Both must fit PostgreSQL (text and jsonb refuse NUL) and show as they were: text is cut on a UTF-8
// character boundary, and a body that is not text is kept as base64 and shown as binary.
import type { HeaderPair } from "../db/schema";

export const MAX_BODY_BYTES = 4096;
export const MAX_HEADERS = 50;
export const MAX_HEADER_NAME_CHARS = 256;
export const MAX_HEADER_VALUE_CHARS = 1024;
/** Names and values together, so 50 long values cannot add up to 50 KiB. */
export const MAX_HEADER_CHARS = 8192;

export type BodyExcerpt = { text: string; encoding: "utf8" | "base64"; truncated: boolean };
export type BoundedHeaders = { headers: HeaderPair[]; truncated: boolean };

/** The longest prefix of at most `max` bytes that does not end inside a UTF-8 sequence. */
export function utf8Prefix(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let cut = max;
  // A continuation byte (10xxxxxx) right after the cut means a character straddles it: cut before that character's
  // lead byte instead. A character has at most three continuation bytes; more is not UTF-8 (and shows as binary).
  for (let back = 0; back < 3 && cut > 0 && (bytes[cut] & 0xc0) === 0x80; back++) cut--;
  return bytes.subarray(0, cut);
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The first `max` bytes of a body. `more`: bytes beyond those given were not read (so it is truncated even if
 * `bytes` itself is short enough).
 */
export function bodyExcerpt(bytes: Uint8Array, { more = false, max = MAX_BODY_BYTES }: { more?: boolean; max?: number } = {}): BodyExcerpt {
  const truncated = more || bytes.length > max;
  const prefix = utf8Prefix(bytes, max);
  try {
    const text = strict.decode(prefix);
    if (!text.includes("\u0000")) return { text, encoding: "utf8", truncated };
  } catch {
    // Not UTF-8: binary.
  }
  return { text: Buffer.from(bytes.subarray(0, max)).toString("base64"), encoding: "base64", truncated };
}

/** A short text for the delivery row's excerpt column (the list view). */
export function excerptText(body: BodyExcerpt, max = 1024): string {
  if (body.encoding === "base64") return `(binary, ${Buffer.from(body.text, "base64").length}${body.truncated ? "+" : ""} bytes)`;
  return cutChars(body.text, max);
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}

/** Header values arrive as latin1 strings; NUL cannot be stored (nor is it allowed on the wire), so it is replaced. */
const clean = (s: string, max: number) => cutChars(s.replace(/\u0000/g, "\uFFFD"), max);

/** Headers in their order, at most MAX_HEADERS of them and MAX_HEADER_CHARS in all, each name and value cut to size. */
export function boundHeaders(pairs: HeaderPair[]): BoundedHeaders {
  const headers: HeaderPair[] = [];
  let chars = 0;
  let truncated = false;
  for (const pair of pairs) {
    const name = clean(pair.name, MAX_HEADER_NAME_CHARS);
    const value = clean(pair.value, MAX_HEADER_VALUE_CHARS);
    if (name.length < pair.name.length || value.length < pair.value.length) truncated = true;
    if (headers.length >= MAX_HEADERS || chars + name.length + value.length > MAX_HEADER_CHARS) {
      truncated = true;
      break;
    }
    headers.push({ name, value });
    chars += name.length + value.length;
  }
  return { headers, truncated };
}

/** Node's and undici's header objects (a repeated header is an array) as pairs. */
export function headerPairs(headers: Record<string, string | string[] | undefined>): HeaderPair[] {
  return Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v }))));
}
