// Error logs that cannot flood: one line per error class per interval, then one line with how many more there were.
// During an outage every request fails the same way; 10,000 identical stack traces tell nothing the first did not.
import { logger } from "../log";

export const LOG_INTERVAL_MS = 10_000;

type Slot = { windowStart: number; suppressed: number; message: string; timer: NodeJS.Timeout | null };
const slots = ((globalThis as { __keyportThrottledLog?: Map<string, Slot> }).__keyportThrottledLog ??= new Map());

/**
 * Logs the first error of `errorClass` at once; later ones in the same interval are counted, and the count is logged
 * in one line when the interval ends.
 */
export function logErrorThrottled(errorClass: string, fields: Record<string, unknown>, message: string, nowMs = Date.now()): void {
  let slot = slots.get(errorClass);
  if (slot && nowMs - slot.windowStart < LOG_INTERVAL_MS) {
    slot.suppressed += 1;
    if (!slot.timer) {
      const s = slot;
      s.timer = setTimeout(() => flush(errorClass, s), s.windowStart + LOG_INTERVAL_MS - nowMs);
      s.timer.unref();
    }
    return;
  }
  if (slots.size > 1_000) slots.clear();
  slot = { windowStart: nowMs, suppressed: 0, message, timer: null };
  slots.set(errorClass, slot);
  logger.error({ ...fields, errorClass }, message);
}

function flush(errorClass: string, slot: Slot): void {
  slot.timer = null;
  if (slot.suppressed === 0) return;
  logger.error({ errorClass, count: slot.suppressed, intervalMs: LOG_INTERVAL_MS }, `${slot.message} (repeated)`);
  slot.suppressed = 0;
}
