import { describe, expect, it } from "vitest";
import { COMPACT_AFTER_MS, expiredPartitions, parsePartition, partitionsToCompact } from "./partitions";

describe("parsePartition", () => {
  it("reads the period from the name, and ignores everything that is not a dated leaf", () => {
    expect(parsePartition("usage_rollups_p202702_minute_28", "usage_rollups_p202702_minute")).toEqual({
      name: "usage_rollups_p202702_minute_28",
      parent: "usage_rollups_p202702_minute",
      kind: "minute",
      start: new Date("2027-02-28T00:00:00Z"),
      end: new Date("2027-03-01T00:00:00Z"),
    });
    expect(parsePartition("usage_key_totals_p202712_hour", "usage_key_totals_p202712")).toMatchObject({
      kind: "hour",
      start: new Date("2027-12-01T00:00:00Z"),
      end: new Date("2028-01-01T00:00:00Z"),
    });
    expect(parsePartition("request_log_p20271231", "request_log")).toMatchObject({ kind: "request log", end: new Date("2028-01-01T00:00:00Z") });
    expect(parsePartition("usage_project_rollups_p202712_day", "usage_project_rollups_p202712")).toMatchObject({ kind: "day", end: new Date("2028-01-01T00:00:00Z") });
    for (const name of ["usage_rollups_p202712_minute", "usage_rollups_p202712", "usage_rollups_default", "usage_rollups_legacy", "request_log_default", "audit_events"]) {
      expect(parsePartition(name, "x")).toBeNull();
    }
  });
});

describe("expiredPartitions", () => {
  it("picks the partitions that end at or before the cut of their own retention", () => {
    const parts = ["usage_rollups_p202503_day", "usage_rollups_p202703_minute_09", "usage_rollups_p202703_minute_10", "usage_rollups_p202602_hour", "usage_rollups_p202603_hour", "request_log_p20270309", "request_log_p20270310"].map(
      (name) => parsePartition(name, "parent")!,
    );
    // 17 March 2027 noon: the minute cut (7 days) is 10 March noon, the hour cut (400 days) 10 February 2026 noon.
    const now = new Date("2027-03-17T12:00:00Z");
    const names = expiredPartitions(parts, now, { usageMinute: 7, usageHour: 400, requestLog: 7 }).map((p) => p.name);
    expect(names).toEqual(["usage_rollups_p202703_minute_09", "request_log_p20270309"]);
    // February 2026's hour rows are not all past 400 days (the month ends 1 March 2026); past 380 days they are.
    expect(expiredPartitions(parts, now, { usageMinute: 7, usageHour: 380, requestLog: 7 }).map((p) => p.name)).toContain("usage_rollups_p202602_hour");
  });
});

describe("partitionsToCompact", () => {
  it("picks closed usage partitions not compacted yet, oldest first, and never the request log or an open period", () => {
    const parts = ["usage_rollups_p202703_minute_10", "usage_rollups_p202702_hour", "usage_key_totals_p202702_day", "usage_rollups_p202703_hour", "request_log_p20270309", "usage_rollups_p202703_minute_09"].map(
      (name) => parsePartition(name, "parent")!,
    );
    parts[1].compacted = true;
    // Ten minutes into 11 March: 10 March closed too recently.
    const now = new Date(Date.parse("2027-03-11T00:00:00Z") + COMPACT_AFTER_MS - 60_000);
    expect(partitionsToCompact(parts, now).map((p) => p.name)).toEqual(["usage_key_totals_p202702_day", "usage_rollups_p202703_minute_09"]);
  });
});
