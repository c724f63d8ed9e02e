// CommonMark from an imported OpenAPI document (descriptions written by an API's provider) as safe HTML: `marked`
// parses it, then `sanitize-html` keeps only a small allow-list. Raw HTML in the source is escaped before parsing,
// so a provider's <script> or <img onerror> shows as text and never as markup; links keep only http(s) and mailto
// (a javascript: or data: link loses its href); every link opens with rel="nofollow noopener noreferrer". Pure.
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

/** Longer descriptions are cut (an OpenAPI document may hold megabytes of text in one field). */
export const MAX_MARKDOWN_CHARS = 20_000;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // Raw HTML blocks and inline tags are shown as text, never rendered.
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
  },
});

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"],
  allowedAttributes: { a: ["href", "title"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  // Headings of a description sit under the operation's own heading.
  transformTags: {
    h1: "h3",
    h2: "h4",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow noopener noreferrer" } }),
  },
  exclusiveFilter: (frame) => frame.tag === "a" && !frame.attribs.href && !frame.text.trim(),
};
OPTIONS.allowedAttributes = { ...(OPTIONS.allowedAttributes as Record<string, string[]>), a: ["href", "title", "rel"] };

/**
 * Rendered descriptions, by source text: parsing and sanitising cost about half a millisecond each, and a docs page
 * of 200 operations renders hundreds of them on every request. Bounded by characters held (sources and results);
 * the oldest entries go first. The output depends only on the source, so an entry never goes stale.
 */
const CACHE_MAX_CHARS = 8_000_000;
const cache = new Map<string, string>();
let cachedChars = 0;

/** Safe HTML for a CommonMark string (empty for anything that is not a non-empty string). */
export function renderMarkdown(source: unknown): string {
  if (typeof source !== "string" || !source.trim()) return "";
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const text = source.length > MAX_MARKDOWN_CHARS ? `${source.slice(0, MAX_MARKDOWN_CHARS)}…` : source;
  const html = sanitizeHtml(marked.parse(text, { async: false }) as string, OPTIONS);
  const size = source.length + html.length;
  if (size <= CACHE_MAX_CHARS / 100) {
    cache.set(source, html);
    cachedChars += size;
    for (const [key, value] of cache) {
      if (cachedChars <= CACHE_MAX_CHARS) break;
      cache.delete(key);
      cachedChars -= key.length + value.length;
    }
  }
  return html;
}
