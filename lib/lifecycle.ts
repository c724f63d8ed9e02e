// Shutdown hooks shared across module instances (Next.js may load a module once per bundle; the process is one).
// Two stages: "work" hooks (flushing buffered usage, key-use times, journal cleanup) all finish before any "close"
// hook (quitting the Redis client, ending the listener connection) starts, so no flush finds its connection gone.
type Hook = () => Promise<void> | void;
export type ShutdownStage = "work" | "close";
type Hooks = Record<ShutdownStage, Set<Hook>>;
const hooks = ((globalThis as { __keyportShutdownStages?: Hooks }).__keyportShutdownStages ??= { work: new Set(), close: new Set() });

/** Registers work to finish before the process exits (e.g. flushing buffered usage). Returns an unregister. */
export function onShutdown(hook: Hook, stage: ShutdownStage = "work"): () => void {
  hooks[stage].add(hook);
  return () => hooks[stage].delete(hook);
}

export async function runShutdownHooks(): Promise<void> {
  for (const stage of ["work", "close"] as const) {
    const pending = [...hooks[stage]];
    hooks[stage].clear();
    await Promise.allSettled(pending.map((hook) => hook()));
  }
}
