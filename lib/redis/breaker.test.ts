import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CircuitBreaker, FAILURE_THRESHOLD, HALF_OPEN_MS } from "./breaker";

describe("CircuitBreaker", () => {
  let breaker: CircuitBreaker;
  beforeEach(() => {
    vi.useFakeTimers();
    // A probe that never answers: only answered() or a failure can move the state in these tests.
    breaker = new CircuitBreaker("test", () => new Promise(() => {}));
  });
  afterEach(() => {
    breaker.stop();
    vi.useRealTimers();
  });

  it("opens after the failure threshold within the window", () => {
    for (let i = 0; i < FAILURE_THRESHOLD - 1; i++) breaker.failure();
    expect(breaker.state).toBe("closed");
    breaker.failure();
    expect(breaker.state).toBe("open");
    expect(breaker.allows()).toBe(false);
  });

  it("a late answer clears the failure count: a busy moment does not add up to an open circuit", () => {
    for (let i = 0; i < FAILURE_THRESHOLD - 1; i++) breaker.failure();
    breaker.answered();
    for (let i = 0; i < FAILURE_THRESHOLD - 1; i++) breaker.failure();
    expect(breaker.state).toBe("closed");
  });

  it("a circuit opened by late calls goes half-open as soon as Redis answers one, then closes", () => {
    for (let i = 0; i < FAILURE_THRESHOLD; i++) breaker.failure();
    expect(breaker.state).toBe("open");
    breaker.answered();
    expect(breaker.state).toBe("half-open");
    expect(breaker.allows()).toBe(true);
    vi.advanceTimersByTime(HALF_OPEN_MS + 1);
    expect(breaker.state).toBe("closed");
  });

  it("a circuit opened by a lost connection waits for its probe, whatever answers arrive late", () => {
    breaker.open("connection closed", true);
    breaker.answered();
    expect(breaker.state).toBe("open");
    // A failure while half-open re-opens it.
    const probing = new CircuitBreaker("probing", () => Promise.resolve("PONG"));
    probing.open("connection closed", true);
    return vi.advanceTimersByTimeAsync(250).then(() => {
      expect(probing.state).toBe("half-open");
      probing.failure();
      expect(probing.state).toBe("open");
      probing.stop();
    });
  });
});
