import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEntry, encodeEntry } from "./journal-entry";
import { LATENCY_BUCKETS } from "./latency";

describe("usage journal entries", () => {
  it("decode to exactly what was encoded, whatever the endpoint label holds besides tabs and newlines", () => {
    const label = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/[\t\n\r]/.test(s));
    const id = fc.stringMatching(/^[a-z]{3}_[A-Za-z0-9]{1,24}$/);
    fc.assert(
      fc.property(
        id,
        id,
        label,
        fc.integer({ min: 0, max: 60_000_000 }),
        fc.integer({ min: 100, max: 599 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.integer({ min: 0, max: LATENCY_BUCKETS - 1 }),
        fc.integer({ min: 0, max: 1000 }),
        (keyId, projectId, endpoint, minutes, status, latencyMs, latencyBucket, billable) => {
          const minute = minutes * 60_000;
          const text = encodeEntry(keyId, projectId, endpoint, minute, status, latencyMs, latencyBucket, billable);
          expect(decodeEntry(text)).toEqual({ keyId, projectId, endpoint, minute, status, latencyMs, latencyBucket, billable });
        },
      ),
    );
  });

  it("reads entries journaled before billing existed (u1) as 0 billable units", () => {
    expect(decodeEntry("u1\tkey_1\tprj_1\t2\t200\t3\t2\tGET /api/v1/ping")).toEqual({
      keyId: "key_1",
      projectId: "prj_1",
      endpoint: "GET /api/v1/ping",
      minute: 120_000,
      status: 200,
      latencyMs: 3,
      latencyBucket: 2,
      billable: 0,
    });
  });

  it("never looks like JSON (the Upstash REST client would parse it)", () => {
    const text = encodeEntry("key_1", "prj_1", "GET /api/v1/products/{sku}", 60_000, 200, 3, 2);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("refuses what it does not understand instead of guessing", () => {
    const good = encodeEntry("key_1", "prj_1", "GET /api/v1/ping", 120_000, 200, 3, 2);
    expect(decodeEntry(good)).not.toBeNull();
    // Fields: 0 version, 1 key, 2 project, 3 minute, 4 status, 5 latency ms, 6 latency bucket, 7 billable, 8 endpoint.
    const withField = (i: number, value: string) => good.split("\t").map((f, j) => (j === i ? value : f)).join("\t");
    for (const bad of [
      "",
      withField(0, "u3"),
      good.split("\t").slice(0, 8).join("\t"),
      withField(1, ""),
      withField(3, ""),
      withField(4, "-200"),
      withField(5, "3.5"),
      withField(6, String(LATENCY_BUCKETS)),
      withField(7, "-1"),
      withField(8, ""),
      "42",
    ]) {
      expect(decodeEntry(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
