// A tiny local server speaking the documented Upstash Redis REST protocol on top of a real Redis, so tests exercise
// the real @upstash/redis client: POST / with a JSON command array → { result } or { error }; POST /pipeline and
// POST /multi-exec with an array of commands → an array of those; Authorization: Bearer <token>. With the
// `Upstash-Encoding: base64` request header (which @upstash/redis sends by default) string results are base64.
import { createServer, type Server } from "node:http";
import Redis from "ioredis";

export type UpstashEmulator = { url: string; token: string; close: () => Promise<void>; server: Server };

type Reply = { result: unknown } | { error: string };

const encode = (value: unknown): unknown => {
  if (typeof value === "string") return value === "OK" ? value : Buffer.from(value, "utf8").toString("base64");
  if (Array.isArray(value)) return value.map(encode);
  return value;
};

/** ioredis turns some replies (HGETALL) into objects; Upstash sends what Redis sent, a flat array. */
const asRedisReply = (value: unknown): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value) ? Object.entries(value).flat() : value;

export async function startUpstashEmulator(redisUrl: string, token = "test-upstash-token"): Promise<UpstashEmulator> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

  const run = async (command: unknown): Promise<Reply> => {
    if (!Array.isArray(command) || command.length === 0) return { error: "ERR command must be a non-empty array" };
    const parts = command.map((part) => (typeof part === "string" ? part : JSON.stringify(part)));
    try {
      return { result: asRedisReply(await redis.call(parts[0], ...parts.slice(1))) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    if (req.method !== "POST") return send(405, { error: "Method not allowed" });
    let text = "";
    for await (const chunk of req) text += chunk;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return send(400, { error: "ERR invalid JSON body" });
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const out = (reply: Reply) => ("result" in reply && base64 ? { result: encode(reply.result) } : reply);
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body)) return send(400, { error: "ERR pipeline body must be an array of commands" });
      if (path === "/multi-exec") {
        // Atomic: queue everything in one MULTI on a dedicated connection.
        const multi = redis.multi();
        for (const command of body as unknown[][]) {
          multi.call(String(command[0]), ...command.slice(1).map(String));
        }
        const results = (await multi.exec()) ?? [];
        return send(200, results.map(([error, result]) => out(error ? { error: error.message } : { result: asRedisReply(result) })));
      }
      const replies: Reply[] = [];
      for (const command of body) replies.push(await run(command));
      return send(200, replies.map(out));
    }
    const reply = await run(body);
    return send("error" in reply ? 400 : 200, out(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
}
