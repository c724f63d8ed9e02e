// Property tests for the secret format: what a generated secret looks like, and that one typo is always caught.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE62,
  generateApiKeySecret,
  generateManagementToken,
  hashSecret,
  looksLikeSecret,
  parseApiKeySecret,
  parseManagementToken,
  type KeyEnvironment,
} from "./secret";

const prefixArb = fc.stringMatching(/^[a-z]{2,8}$/);
const envArb = fc.constantFrom<KeyEnvironment>("live", "test");
const API_KEY_SHAPE = /^[a-z]{2,8}_(live|test)_[0-9A-Za-z]{38}$/;

/** Any printable ASCII character, so a substitution can be a base62 digit, a separator or garbage. */
const replacementArb = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));

describe("API key secrets", () => {
  it("always pass their own format, checksum and prefix", () => {
    fc.assert(
      fc.property(prefixArb, envArb, (prefix, environment) => {
        const issued = generateApiKeySecret(prefix, environment);
        expect(issued.secret).toMatch(API_KEY_SHAPE);
        const parsed = parseApiKeySecret(issued.secret, prefix);
        expect(parsed).toEqual({ prefix, environment, hash: issued.hash });
        expect(looksLikeSecret(issued.secret, prefix)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("are refused after changing any one character", () => {
    fc.assert(
      fc.property(
        prefixArb,
        envArb,
        fc.nat(),
        replacementArb,
        (prefix, environment, position, replacement) => {
          const { secret } = generateApiKeySecret(prefix, environment);
          const i = position % secret.length;
          fc.pre(secret[i] !== replacement);
          const mutated = secret.slice(0, i) + replacement + secret.slice(i + 1);
          expect(parseApiKeySecret(mutated, prefix)).toBeNull();
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("are refused after changing any one character to another base62 digit (exhaustively, one secret)", () => {
    const { secret } = generateApiKeySecret("kp", "live");
    for (let i = 0; i < secret.length; i++) {
      for (const c of BASE62) {
        if (c === secret[i]) continue;
        expect(parseApiKeySecret(secret.slice(0, i) + c + secret.slice(i + 1), "kp")).toBeNull();
      }
    }
  });

  it("are refused under another prefix, truncated, extended or padded", () => {
    fc.assert(
      fc.property(envArb, (environment) => {
        const { secret } = generateApiKeySecret("kp", environment);
        expect(parseApiKeySecret(secret, "kq")).toBeNull();
        expect(parseApiKeySecret(secret.slice(0, -1), "kp")).toBeNull();
        expect(parseApiKeySecret(secret + "0", "kp")).toBeNull();
        expect(parseApiKeySecret(` ${secret}`, "kp")).toBeNull();
        expect(parseApiKeySecret(`${secret}\n`, "kp")).toBeNull();
      }),
    );
  });

  it("never parse arbitrary strings that are not ours", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        const parsed = parseApiKeySecret(value, "kp");
        if (parsed) expect(value).toMatch(API_KEY_SHAPE);
      }),
      { numRuns: 5_000 },
    );
  });

  it("do not collide in 100,000 draws", () => {
    const seen = new Set<string>();
    const hashes = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const { secret, hash } = generateApiKeySecret("kp", "live");
      seen.add(secret);
      hashes.add(hash);
    }
    expect(seen.size).toBe(100_000);
    expect(hashes.size).toBe(100_000);
  });

  it("have a display start of prefix, env and 4 body characters, and last4 of the secret", () => {
    fc.assert(
      fc.property(prefixArb, envArb, (prefix, environment) => {
        const issued = generateApiKeySecret(prefix, environment);
        const head = `${prefix}_${environment}_`;
        expect(issued.start).toBe(issued.secret.slice(0, head.length + 4));
        expect(issued.start).toMatch(new RegExp(`^${head}[0-9A-Za-z]{4}$`));
        expect(issued.last4).toBe(issued.secret.slice(-4));
        expect(issued.last4).toMatch(/^[0-9A-Za-z]{4}$/);
        expect(issued.hash).toBe(hashSecret(issued.secret));
        expect(issued.hash).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it("draw body characters without bias (every base62 digit appears)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      const { secret } = generateApiKeySecret("kp", "test");
      for (const c of secret.slice(8, 40)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 64,000 draws over 62 digits: ~1032 each; a biased mapping would skew the low digits by ~25 %.
    for (const n of counts.values()) expect(n).toBeGreaterThan(850);
    for (const n of counts.values()) expect(n).toBeLessThan(1_220);
  });
});

describe("management tokens", () => {
  it("pass their own format and refuse any one-character change", () => {
    fc.assert(
      fc.property(prefixArb, fc.nat(), replacementArb, (prefix, position, replacement) => {
        const issued = generateManagementToken(prefix);
        expect(issued.secret).toMatch(/^[a-z]{2,8}m_[0-9A-Za-z]{38}$/);
        expect(parseManagementToken(issued.secret, prefix)).toEqual({ hash: issued.hash });
        expect(parseApiKeySecret(issued.secret, prefix)).toBeNull();
        const i = position % issued.secret.length;
        fc.pre(issued.secret[i] !== replacement);
        const mutated = issued.secret.slice(0, i) + replacement + issued.secret.slice(i + 1);
        expect(parseManagementToken(mutated, prefix)).toBeNull();
      }),
      { numRuns: 5_000 },
    );
  });
});
