// The published gitleaks and secretlint rules (docs/scanning/) are read from their files and run over keys this code
// generates, and over near-misses they must not match; a change to the secret format that the rules do not follow
// fails here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE62, checksum, generateApiKeySecret, generateManagementToken, parseApiKeySecret } from "./secret";

const root = path.resolve(__dirname, "../..");
const gitleaks = readFileSync(path.join(root, "docs/scanning/gitleaks.toml"), "utf8");
const gitleaksRules = [...gitleaks.matchAll(/^id = "([^"]+)"\s*\ndescription = "[^"]*"\s*\nregex = '''(.+)'''/gm)].map((m) => ({ id: m[1], regex: new RegExp(m[2]) }));
const secretlint = JSON.parse(readFileSync(path.join(root, "docs/scanning/secretlintrc.json"), "utf8")) as {
  rules: { options: { patterns: { name: string; pattern: string }[] } }[];
};
const secretlintRules = secretlint.rules[0].options.patterns.map((p) => {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p.pattern)!;
  return { id: p.name, regex: new RegExp(m[1], m[2]) };
});

const sets = { gitleaks: gitleaksRules, secretlint: secretlintRules };

describe.each(Object.entries(sets))("%s rules", (_name, rules) => {
  const [apiKeyRule, tokenRule] = rules;

  it("are present (an API-key rule and a management-token rule)", () => {
    expect(rules).toHaveLength(2);
  });

  it("match every generated API key and management token, in context, capturing exactly the secret", () => {
    for (let i = 0; i < 500; i++) {
      const { secret } = generateApiKeySecret("kp", i % 2 ? "live" : "test");
      const line = `const KEYPORT_KEY = "${secret}"; // prod`;
      expect(apiKeyRule.regex.exec(line)?.[1]).toBe(secret);
      const token = generateManagementToken("kp").secret;
      expect(tokenRule.regex.exec(`Authorization: Bearer ${token}`)?.[1]).toBe(token);
    }
  });

  it("reject near-misses", () => {
    const { secret } = generateApiKeySecret("kp", "live");
    const body = secret.slice("kp_live_".length);
    const nearMisses = [
      `kp_live_${body.slice(1)}`, // 37 characters
      `kp_live_${body}A`, // 39 characters
      `kp_prod_${body}`, // unknown environment
      `KP_live_${body}`, // upper-case prefix
      `kp-live-${body}`, // wrong separators
      `kp_live_${body.slice(0, 20)}-${body.slice(21)}`, // a character outside base62
      `xkp_live_${body}`, // part of a longer word
      `kp_live_${body}_suffix`,
    ];
    for (const miss of nearMisses) expect(apiKeyRule.regex.test(miss), miss).toBe(false);
    expect(tokenRule.regex.test(`kpm_${body.slice(1)}`)).toBe(false);
    expect(tokenRule.regex.test(secret)).toBe(false);
  });
});

describe("the documented secret format", () => {
  it("check = CRC32 of everything before it as six base62 digits, most significant first, left-padded with 0", () => {
    // A reference implementation written from the documentation, compared with the code.
    const crc32 = (s: string) => {
      let c = ~0;
      for (const byte of Buffer.from(s, "utf8")) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      return (~c) >>> 0;
    };
    const documented = (payload: string) => {
      let n = crc32(payload);
      const digits: string[] = [];
      while (n > 0) {
        digits.unshift("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[n % 62]);
        n = Math.floor(n / 62);
      }
      return digits.join("").padStart(6, "0");
    };
    expect(BASE62).toBe("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    for (let i = 0; i < 200; i++) {
      const { secret } = generateApiKeySecret("kp", "live");
      expect(secret.slice(-6)).toBe(documented(secret.slice(0, -6)));
      expect(checksum(secret.slice(0, -6))).toBe(documented(secret.slice(0, -6)));
    }
    // Left padding: a payload whose CRC32 is small still gives six digits.
    expect(checksum("")).toBe("000000");
    expect(documented("")).toBe("000000");
    // A single changed character fails the checksum.
    const { secret } = generateApiKeySecret("kp", "test");
    const flipped = secret.slice(0, 10) + (secret[10] === "a" ? "b" : "a") + secret.slice(11);
    expect(parseApiKeySecret(secret, "kp")).not.toBeNull();
    expect(parseApiKeySecret(flipped, "kp")).toBeNull();
  });
});
