import { describe, expect, it } from "vitest";
import { composeMail } from "./templates";

describe("composeMail", () => {
  it("puts the link in both bodies and escapes HTML", () => {
    const mail = composeMail({ kind: "k", to: "a@b.test", subject: "s", intro: ["<b>hi</b> & bye"], action: { label: "Go", url: "https://x.test/a?token=1&b=2" } });
    expect(mail.text).toContain("Go: https://x.test/a?token=1&b=2");
    expect(mail.html).toContain("&lt;b&gt;hi&lt;/b&gt; &amp; bye");
    expect(mail.html).toContain('href="https://x.test/a?token=1&amp;b=2"');
  });
});
