// A real upstream HTTP server for gateway tests: echoes what it received, streams server-sent events, stalls, answers
// big bodies, and records when a client went away. No mocks: the gateway talks to it over TCP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Upstream = {
  url: string;
  server: Server;
  /** Requests seen, in order (method, url, headers, body length). */
  seen: { method: string; url: string; headers: IncomingMessage["headers"]; bodyBytes: number }[];
  /** Resolves when a request to /watch/{id} is closed by the gateway before its response ended. */
  aborted: Map<string, Promise<number>>;
  close: () => Promise<void>;
};

export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream["seen"] = [];
  const aborted = new Map<string, Promise<number>>();
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    // The API is registered with the upstream base path /base.
    const path = url.split("?")[0].replace(/^\/base/, "");
    if (path.startsWith("/stall-headers")) return; // never answers
    if (path.startsWith("/sse")) {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`data: event ${n}\n\n`);
        if (++n === 3) {
          clearInterval(timer);
          res.end();
        }
      }, 400);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (path.startsWith("/stall-body")) {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("first chunk\n");
      return; // then silence
    }
    if (path.startsWith("/watch/")) {
      const id = path.slice("/watch/".length);
      const started = Date.now();
      res.writeHead(200, { "Content-Type": "text/plain" });
      const timer = setInterval(() => res.write("tick\n"), 100);
      aborted.set(
        id,
        new Promise((resolve) =>
          res.on("close", () => {
            clearInterval(timer);
            resolve(Date.now() - started);
          }),
        ),
      );
      return;
    }
    if (path.startsWith("/big/")) {
      const bytes = Number(path.slice("/big/".length));
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(bytes) });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let left = bytes;
      const pump = () => {
        while (left > 0) {
          const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= part.length;
          if (!res.write(part)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
      return;
    }
    let bodyBytes = 0;
    req.on("data", (c: Buffer) => (bodyBytes += c.length));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url, headers: req.headers, bodyBytes });
      res.writeHead(path.startsWith("/conflict") ? 409 : 200, {
        "Content-Type": "application/json",
        "Set-Cookie": "upstream=secret; HttpOnly",
        "X-Upstream": "yes",
        "Keep-Alive": "timeout=5",
        "X-Request-Id": "upstream-chosen",
      });
      res.end(JSON.stringify({ method: req.method, url, headers: req.headers, bodyBytes }));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    seen,
    aborted,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
