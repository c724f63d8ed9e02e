// Shutdown hooks shared across module instances (Next.js may load a module once per bundle; the process is one).
type Hook = () => Promise<void> | void;
const hooks = ((globalThis as { __keyportShutdownHooks?: Set<Hook> }).__keyportShutdownHooks ??= new Set<Hook>());

/** Registers work to finish before the process exits (e.g. flushing buffered usage). Returns an unregister. */
export function onShutdown(hook: Hook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export async function runShutdownHooks(): Promise<void> {
  const pending = [...hooks];
  hooks.clear();
  await Promise.allSettled(pending.map((hook) => hook()));
}
