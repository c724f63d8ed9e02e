// A real webhook receiver on loopback for tests: verifies every delivery with the standardwebhooks verifier (as a
// customer would), records what arrived, and can be told to fail the next N requests.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Webhook } from "standardwebhooks";

export type Received = { path: string; id: string; timestamp: string; signature: string; body: string; payload: { type: string; timestamp: string; data: Record<string, unknown> }; verified: string[]; at: number };

export type Receiver = {
  url: string;
  port: number;
  received: Received[];
  /** Requests whose signature none of the secrets verified. */
  rejected: number;
  /** Secrets tried in turn; a delivery counts as verified when at least one verifies it. */
  secrets: string[];
  failNext: (n: number, status?: number) => void;
  waitFor: (predicate: (r: Received) => boolean, timeoutMs?: number) => Promise<Received>;
  close: () => Promise<void>;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => resolve(body));
  });

export async function startReceiver(secrets: string[] = []): Promise<Receiver> {
  let failures = 0;
  let failStatus = 500;
  const state = { received: [] as Received[], rejected: 0, secrets };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers = { "webhook-id": String(req.headers["webhook-id"]), "webhook-timestamp": String(req.headers["webhook-timestamp"]), "webhook-signature": String(req.headers["webhook-signature"]) };
    const verified = state.secrets.filter((s) => {
      try {
        new Webhook(s).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    if (verified.length === 0) {
      state.rejected++;
      res.writeHead(400).end("bad signature");
      return;
    }
    if (failures > 0) {
      failures--;
      res.writeHead(failStatus, { "content-type": "text/plain" }).end("receiver says no");
      return;
    }
    state.received.push({ path: req.url ?? "/", id: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"], body, payload: JSON.parse(body), verified, at: Date.now() });
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    get received() {
      return state.received;
    },
    get rejected() {
      return state.rejected;
    },
    secrets,
    failNext: (n, status = 500) => {
      failures = n;
      failStatus = status;
    },
    waitFor: async (predicate, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = state.received.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no matching delivery within ${timeoutMs} ms (got ${state.received.map((r) => r.payload.type).join(", ") || "nothing"}, ${state.rejected} rejected)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
