// A TCP proxy a test controls, to put a dependency "down" without touching the shared server: `cut()` resets every
// connection and refuses new ones (an outage), `blackhole()` accepts connections and never answers (a hung server),
// `restore()` forwards again.
import { createServer, connect, type Server, type Socket } from "node:net";

export type TcpProxy = {
  port: number;
  cut: () => void;
  blackhole: () => void;
  restore: () => void;
  close: () => Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: "forward" | "cut" | "blackhole" = "forward";
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === "cut") return client.resetAndDestroy();
    if (mode === "blackhole") return; // accepted, never answered
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const dropAll = () => {
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
  };
  return {
    port,
    cut: () => {
      mode = "cut";
      dropAll();
    },
    blackhole: () => {
      mode = "blackhole";
      dropAll();
    },
    restore: () => {
      mode = "forward";
    },
    close: async () => {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same URL through the proxy. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}
