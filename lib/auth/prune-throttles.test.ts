import { describe, expect, it } from "vitest";
import { LOCK_MINUTES, WINDOW_MINUTES } from "./sign-in-throttle";
import { SIGNUP_WINDOW_SECONDS } from "../users/signup-throttle";
import { THROTTLE_IDLE_SECONDS } from "./prune-throttles";

describe("THROTTLE_IDLE_SECONDS", () => {
  it("is at least every window the sign_in_throttles table is used with, so pruning never cuts a window short", () => {
    expect(THROTTLE_IDLE_SECONDS).toBeGreaterThanOrEqual(WINDOW_MINUTES * 60);
    expect(THROTTLE_IDLE_SECONDS).toBeGreaterThanOrEqual(SIGNUP_WINDOW_SECONDS);
    // Locks are checked separately (a live lock is kept whatever its window); this only documents they are shorter.
    expect(LOCK_MINUTES * 60).toBeLessThanOrEqual(THROTTLE_IDLE_SECONDS);
  });
});
