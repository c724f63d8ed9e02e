// Cache misses that happen together share one lookup: a burst of requests needing the same row (a client app
// starting, a cache entry expiring under load) makes one database query, not one per request.

/** Runs `lookup` once for all concurrent callers with the same `id`; the entry is dropped as soon as it settles. */
export function shareInFlight<T>(inFlight: Map<string, Promise<T>>, id: string, lookup: () => Promise<T>): Promise<T> {
  let pending = inFlight.get(id);
  if (!pending) {
    pending = lookup().finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}
