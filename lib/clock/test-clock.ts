// Test hook (KEYPORT_TEST_CLOCK_OFFSET_MS, guarded in lib/env.ts): shifts this process's wall clock — Date.now() and
// `new Date()` — as a host whose clock is wrong would, so integration tests can run a skewed instance without
// libfaketime. performance.now() (a monotonic clock) is left alone, as a wrong wall clock leaves it alone.
import { env } from "../env";

type Holder = { installed?: number };
const holder = ((globalThis as { __keyportTestClock?: Holder }).__keyportTestClock ??= {});

/** A Date constructor whose current time is `offsetMs` off the real one; everything else behaves as `RealDate`. */
export function skewedDate(RealDate: DateConstructor, offsetMs: number): DateConstructor {
  const realNow = RealDate.now.bind(RealDate);
  // A function, not a subclass, so every constructor form passes through unchanged; `instanceof Date` still holds.
  function SkewedDate(this: unknown, ...args: unknown[]): unknown {
    // Date() called as a function returns the current time as a string.
    if (!new.target) return new RealDate(realNow() + offsetMs).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [realNow() + offsetMs] : args, new.target);
  }
  SkewedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(SkewedDate, RealDate);
  // Own copies of the statics (UTC, parse): Next.js wraps Date again by copying the constructor's OWN properties, and
  // inherited ones would be lost there ("Date.UTC is not a function" in the server's bundles).
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(RealDate))) {
    if (name !== "prototype" && name !== "name" && name !== "length") Object.defineProperty(SkewedDate, name, descriptor);
  }
  SkewedDate.now = () => realNow() + offsetMs;
  return SkewedDate as unknown as DateConstructor;
}

/** Installs the configured offset once per process (the server entry calls it first); returns the offset. */
export function installTestClock(): number {
  const offset = env().KEYPORT_TEST_CLOCK_OFFSET_MS;
  if (offset === 0 || holder.installed !== undefined) return holder.installed ?? 0;
  holder.installed = offset;
  globalThis.Date = skewedDate(Date, offset);
  return offset;
}
