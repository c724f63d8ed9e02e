// Whether this process is shutting down. Set by the server entry on SIGTERM; read by /api/ready (503 at once, so a
// load balancer stops sending new work) from any module instance, hence kept on globalThis.
type State = { draining: boolean };
const state = ((globalThis as { __keyportDraining?: State }).__keyportDraining ??= { draining: false });

export function startDraining(): void {
  state.draining = true;
}

export function isDraining(): boolean {
  return state.draining;
}
