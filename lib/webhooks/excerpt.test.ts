import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_HEADER_CHARS, MAX_HEADER_VALUE_CHARS, MAX_HEADERS, bodyExcerpt, boundHeaders, excerptText, headerPairs, utf8Prefix } from "./excerpt";

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

describe("utf8Prefix", () => {
  it("keeps what fits whole", () => {
    expect(text(utf8Prefix(bytes("héllo"), 100))).toBe("héllo");
    expect(text(utf8Prefix(bytes("abcdef"), 4))).toBe("abcd");
  });

  it("never ends inside a character, whatever its width", () => {
    // 2-, 3- and 4-byte characters, cut at every byte of them.
    for (const ch of ["é", "€", "😀"]) {
      const width = Buffer.byteLength(ch);
      const input = bytes(`ab${ch}`);
      for (let max = 2; max < 2 + width; max++) expect(text(utf8Prefix(input, max))).toBe("ab");
      expect(text(utf8Prefix(input, 2 + width))).toBe(`ab${ch}`);
    }
  });

  it("cuts a long multi-byte text at the largest boundary at or below the limit", () => {
    const input = bytes("€".repeat(2000)); // 6000 bytes, 3 each
    const cut = utf8Prefix(input, MAX_BODY_BYTES);
    expect(cut.length).toBe(4095);
    expect(text(cut)).toBe("€".repeat(1365));
  });
});

describe("bodyExcerpt", () => {
  it("keeps short text as it is", () => {
    expect(bodyExcerpt(bytes('{"ok":true}'))).toEqual({ text: '{"ok":true}', encoding: "utf8", truncated: false });
    expect(bodyExcerpt(new Uint8Array())).toEqual({ text: "", encoding: "utf8", truncated: false });
  });

  it("cuts at 4 KiB on a character boundary and says so", () => {
    const long = "a".repeat(4095) + "😀" + "b".repeat(100);
    const out = bodyExcerpt(bytes(long));
    expect(out).toEqual({ text: "a".repeat(4095), encoding: "utf8", truncated: true });
  });

  it("is truncated when more was not read, even if what was read fits", () => {
    expect(bodyExcerpt(bytes("abc"), { more: true }).truncated).toBe(true);
    expect(bodyExcerpt(bytes("x".repeat(MAX_BODY_BYTES))).truncated).toBe(false);
    expect(bodyExcerpt(bytes("x".repeat(MAX_BODY_BYTES + 1))).truncated).toBe(true);
  });

  it("keeps a body that is not UTF-8 text as base64, at most 4 KiB of it", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]);
    expect(bodyExcerpt(png)).toEqual({ text: Buffer.from(png).toString("base64"), encoding: "base64", truncated: false });
    const big = new Uint8Array(10_000).fill(0xff);
    const out = bodyExcerpt(big);
    expect(out.encoding).toBe("base64");
    expect(Buffer.from(out.text, "base64").length).toBe(MAX_BODY_BYTES);
    expect(out.truncated).toBe(true);
  });

  it("treats NUL as binary (PostgreSQL text cannot hold it)", () => {
    expect(bodyExcerpt(bytes("a\u0000b")).encoding).toBe("base64");
  });

  it("keeps a byte-order mark rather than hiding it", () => {
    expect(bodyExcerpt(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe("\uFEFFa");
  });
});

describe("excerptText", () => {
  it("shortens text without splitting a surrogate pair, and names binary", () => {
    expect(excerptText({ text: "a".repeat(1023) + "😀", encoding: "utf8", truncated: false })).toBe("a".repeat(1023));
    expect(excerptText({ text: Buffer.from([1, 2, 255]).toString("base64"), encoding: "base64", truncated: true })).toBe("(binary, 3+ bytes)");
  });
});

describe("boundHeaders", () => {
  it("keeps headers in order, repeats included", () => {
    const pairs = headerPairs({ "content-type": "text/plain", "set-cookie": ["a=1", "b=2"], gone: undefined });
    expect(pairs).toEqual([
      { name: "content-type", value: "text/plain" },
      { name: "set-cookie", value: "a=1" },
      { name: "set-cookie", value: "b=2" },
    ]);
    expect(boundHeaders(pairs)).toEqual({ headers: pairs, truncated: false });
  });

  it("caps the count, each value and the total", () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `x-h${i}`, value: "v" }));
    const counted = boundHeaders(many);
    expect(counted.headers).toHaveLength(MAX_HEADERS);
    expect(counted.truncated).toBe(true);

    const long = boundHeaders([{ name: "x-long", value: "v".repeat(5000) }]);
    expect(long.headers[0].value).toHaveLength(MAX_HEADER_VALUE_CHARS);
    expect(long.truncated).toBe(true);

    const wide = boundHeaders(Array.from({ length: 20 }, (_, i) => ({ name: `x-w${i}`, value: "w".repeat(1000) })));
    const total = wide.headers.reduce((n, h) => n + h.name.length + h.value.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_HEADER_CHARS);
    expect(wide.headers.length).toBeLessThan(20);
    expect(wide.truncated).toBe(true);
  });

  it("replaces NUL (jsonb cannot hold it)", () => {
    expect(boundHeaders([{ name: "x", value: "a\u0000b" }]).headers[0].value).toBe("a\uFFFDb");
  });
});
