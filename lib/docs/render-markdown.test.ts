import { describe, expect, it } from "vitest";
import { MAX_MARKDOWN_CHARS, renderMarkdown } from "./render-markdown";

describe("renderMarkdown (OpenAPI descriptions)", () => {
  it("renders CommonMark: emphasis, code, lists, links", () => {
    const html = renderMarkdown("Returns **one** `order`.\n\n- a\n- b\n\nSee [the guide](https://example.com/guide).");
    expect(html).toContain("<strong>one</strong>");
    expect(html).toContain("<code>order</code>");
    expect(html).toMatch(/<ul>\s*<li>a<\/li>/);
    expect(html).toContain('href="https://example.com/guide"');
    expect(html).toContain('rel="nofollow noopener noreferrer"');
  });

  it("never lets raw HTML from the document through: script tags, event handlers, iframes", () => {
    const hostile = [
      "<script>alert(1)</script>",
      "Inline <img src=x onerror=alert(1)> tag and <iframe src=https://evil.example></iframe>.",
      '<a href="javascript:alert(1)">click</a>',
      "<div onclick=\"alert(1)\">block</div>",
      "<svg><script>alert(2)</script></svg>",
    ].join("\n\n");
    const html = renderMarkdown(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<div/i);
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(html).not.toMatch(/<a[^>]*href="javascript:/i);
    // The text is still there, as text.
    expect(html).toContain("&lt;script&gt;");
  });

  it("drops javascript:, data: and vbscript: links (in any case, with entities or whitespace)", () => {
    for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", " javascript:alert(1)"]) {
      const html = renderMarkdown(`[x](${href}) and <${href}>`);
      expect(html, href).not.toMatch(/<a[^>]*href="\s*(javascript|data|vbscript)/i);
      expect(html, href).not.toMatch(/<a[^>]*href="[^"]*script/i);
    }
    const image = renderMarkdown("![x](javascript:alert(1))");
    expect(image).not.toMatch(/<img/i);
  });

  it("copes with 10,000-character lines and cuts huge descriptions", () => {
    const line = "a".repeat(10_000);
    const html = renderMarkdown(`${line}\n\n${"<b>".repeat(2_000)}`);
    expect(html).toContain(line);
    expect(html).not.toMatch(/<b>/);
    const huge = renderMarkdown("word ".repeat(MAX_MARKDOWN_CHARS));
    expect(huge.length).toBeLessThan(MAX_MARKDOWN_CHARS + 100);
  });

  it("answers empty for non-strings", () => {
    expect(renderMarkdown(undefined)).toBe("");
    expect(renderMarkdown({ a: 1 })).toBe("");
    expect(renderMarkdown("   ")).toBe("");
  });
});
