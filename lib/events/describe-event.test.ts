import { describe, expect, it } from "vitest";
import { describeEvent } from "./describe-event";

const at = new Date("2026-12-07T12:00:00.000Z");
const key = { id: "key_abc", name: "Checkout", projectId: "prj_1" };

describe("describeEvent key.expiring", () => {
  it("counts the days left from the event, so a key expiring in 2 days is not titled 'in 7 days'", () => {
    const notice = describeEvent("key.expiring", { key, expiresAt: "2026-12-09T12:00:00.000Z", within: "7d" }, at);
    expect(notice.title).toBe('Key "Checkout" expires in 2 days');
  });
  it("writes the expiry with the one formatter (zone named), never as raw ISO, and links to the key", () => {
    const notice = describeEvent("key.expiring", { key, expiresAt: "2026-12-09T12:00:00.000Z", within: "7d" }, at);
    expect(notice.body).toContain("Dec 9, 2026, 12:00 PM UTC");
    expect(notice.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(notice.link).toBe("/projects/prj_1/keys/key_abc");
  });
  it("says tomorrow a day ahead", () => {
    expect(describeEvent("key.expiring", { key, expiresAt: "2026-12-08T12:00:00.000Z", within: "1d" }, at).title).toBe('Key "Checkout" expires tomorrow');
  });
});

describe("no raw timestamps in any notice", () => {
  it("writes credit refill times with the one formatter", () => {
    for (const kind of ["credits.low", "credits.exhausted"] as const) {
      const notice = describeEvent(kind, { key, owner: "key", remaining: 3, refillsAt: "2026-12-08T00:00:00.000Z" }, at);
      expect(notice.body).toContain("Dec 8, 2026");
      expect(notice.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    }
  });
});
