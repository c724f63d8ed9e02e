// The one rule for every name or label a person types and others read (projects, keys, teams, tokens, webhooks,
// labels, account names): Unicode NFC, trimmed, at most `max` characters, and none of the characters that make a
// name look like something else — controls, bidirectional overrides and marks, zero-width characters (CONTRACT §17).
import { z } from "zod";

/**
 * C0/C1 controls and DEL; line and paragraph separators; bidirectional embeddings, overrides, isolates and marks
 * (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C); zero-width space, joiners, word joiner and invisible
 * operators, BOM (U+200B–U+200D, U+2060–U+2064, U+FEFF); soft hyphen and the Mongolian vowel separator.
 */
const INVISIBLE_OR_DECEPTIVE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]/u;

export const NAME_CHARACTERS_MESSAGE = "must not contain control, bidirectional-override or zero-width characters";

/** Length in characters as a reader counts them (code points), not UTF-16 units. */
const length = (s: string) => [...s].length;

export type DisplayNameOptions = { max?: number; min?: number; label?: string };

/** A zod schema for a name: NFC-normalised and trimmed, then checked; the parsed value is the normalised text. */
export function displayName({ max = 100, min = 1, label = "Name" }: DisplayNameOptions = {}) {
  return z
    .string({ error: `${label} is required` })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .refine((s) => length(s) >= min, min === 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters`)
        .refine((s) => length(s) <= max, `${label} must be at most ${max} characters`)
        .refine((s) => !INVISIBLE_OR_DECEPTIVE.test(s), `${label} ${NAME_CHARACTERS_MESSAGE}`),
    );
}

/** True when the text holds a character names refuse (for callers that check text outside a schema). */
export const hasInvisibleOrDeceptive = (s: string) => INVISIBLE_OR_DECEPTIVE.test(s);
