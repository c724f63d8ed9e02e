// Cross-instance invalidation of cached key state. (Placeholder: local only until the bus lands.)
import type { Db } from "../db/client";

export type Invalidation =
  | { type: "key"; keyId: string }
  | { type: "user"; userId: string }
  | { type: "project"; projectId: string }
  | { type: "tier"; tierId: string };

type Listener = (event: Invalidation) => void;
const listeners = ((globalThis as { __keyportInvalidationListeners?: Set<Listener> }).__keyportInvalidationListeners ??=
  new Set<Listener>());

/** Subscribes to invalidations from this and every other instance. Returns an unsubscribe. */
export function onInvalidation(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Announces a change to every instance. Call it after the change is committed. */
export async function publishInvalidation(_db: Db, event: Invalidation): Promise<void> {
  for (const listener of listeners) listener(event);
}
