import { describe, expect, it } from "vitest";
import { z } from "zod";
import { displayName } from "./display-name";
import { createProjectSchema } from "../projects/create-project";
import { createTeamSchema } from "../teams/create-team";
import { keyMetadata, keyName } from "../keys/key-fields";
import { createWebhookInput } from "../webhooks/webhook-json";

const errorPath = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues[0].path.join(".");
};

describe("displayName (CONTRACT §17)", () => {
  const name = displayName();

  it("normalises to NFC and trims", () => {
    expect(name.parse("  Cafe\u0301  ")).toBe("Caf\u00e9");
    expect(name.parse("Zoë's shop 🚀")).toBe("Zoë's shop 🚀");
  });

  it("refuses bidirectional overrides and isolates, zero-width characters and controls", () => {
    for (const bad of ["pay\u202Egnp.exe", "a\u2066b\u2069", "ad\u200Bmin", "x\u200Dy", "na\uFEFFme", "tab\there", "nul\u0000", "c1\u0085", "rlm\u200F"]) {
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("counts characters, not UTF-16 units: 100 emoji pass, 101 characters do not", () => {
    expect(name.safeParse("🚀".repeat(100)).success).toBe(true);
    expect(name.safeParse("a".repeat(101)).success).toBe(false);
    expect(name.safeParse("   ").success).toBe(false);
  });

  it("is the rule of every stored name and label, and the error names the field", () => {
    expect(errorPath(createProjectSchema, { name: "a\u202Eb" })).toBe("name");
    expect(errorPath(createTeamSchema, { name: "a\u200Bb" })).toBe("name");
    expect(errorPath(z.object({ name: keyName }), { name: "a\u2067b" })).toBe("name");
    expect(errorPath(keyMetadata, { labels: ["ok", "a\u202Db"] })).toBe("labels.1");
    expect(errorPath(createWebhookInput, { url: "https://example.com/h", description: "a\u202Eb" })).toBe("description");
    expect(createProjectSchema.parse({ name: "Cafe\u0301" }).name).toBe("Caf\u00e9");
  });
});
