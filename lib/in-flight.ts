// Cache misses that happen together share one lookup: a burst of requests needing the same row (a client app
// starting, a cache entry expiring under load) makes one database query, not one per request.
import { invalidationBusStatus } from "./keys/invalidation";

/** Runs `lookup` once for all concurrent callers with the same `id`; the entry is dropped as soon as it settles. */
export function shareInFlight<T>(inFlight: Map<string, Promise<T>>, id: string, lookup: () => Promise<T>): Promise<T> {
  let pending = inFlight.get(id);
  if (!pending) {
    pending = lookup().finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

/**
 * For a cache kept correct by the invalidation bus: a miss shares its lookup with concurrent misses of the same id,
 * but only within one bus epoch and cache generation (a request that arrives after an invalidation never joins a
 * lookup that began before it), and not at all while the bus is untrusted (the cache is bypassed then).
 */
export function shareCacheMiss<T>(inFlight: Map<string, Promise<T>>, generation: number, id: string, lookup: () => Promise<T>): Promise<T> {
  const bus = invalidationBusStatus();
  if (!bus.trusted) return lookup();
  return shareInFlight(inFlight, `${bus.epoch}:${generation}:${id}`, lookup);
}
