// Checks for tokens about to expire every few minutes in each instance; rows are claimed with SKIP LOCKED, so any
// number of instances may run it.
import { databaseDown } from "../db/availability";
import type { Db } from "../db/client";
import { onShutdown } from "../lifecycle";
import { logWorkerFailure } from "../ops/worker-failure";
import { warnExpiringTokens } from "./warn-expiring-tokens";

const TICK_MS = 5 * 60_000;

type Holder = { timer?: ReturnType<typeof setInterval> };
const holder = ((globalThis as { __keyportTokenExpiry?: Holder }).__keyportTokenExpiry ??= {});

export function ensureTokenExpiryWarnings(db: () => Promise<Db>): void {
  if (holder.timer) return;
  const tick = async () => {
    if (databaseDown()) return;
    try {
      // Drain in batches: a backlog (say, after downtime) is sent in one tick, 50 tokens per transaction.
      for (let sent = 1; sent > 0; ) sent = await warnExpiringTokens(await db());
    } catch (error) {
      logWorkerFailure("token expiry warnings", error);
    }
  };
  holder.timer = setInterval(tick, TICK_MS);
  holder.timer.unref?.();
  onShutdown(() => clearInterval(holder.timer));
  void tick();
}
