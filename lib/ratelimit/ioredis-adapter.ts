// Gives @upstash/ratelimit the Redis it expects (the @upstash/redis call shapes the calendarWindows algorithm uses:
// evalsha/eval with key and argument arrays, del) on top of an ioredis client, so the same limiter runs over plain
// Redis TCP.
import type Redis from "ioredis";
import type { ScriptRedis } from "./calendar-windows";

const arg = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" || typeof v === "number" ? v : JSON.stringify(v));

export function ioredisAdapter(client: Redis): ScriptRedis {
  return {
    evalsha: (sha, keys, args) => client.evalsha(sha, keys.length, ...keys, ...args.map(arg)),
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args.map(arg)),
    del: (...keys) => client.del(...keys),
    ping: () => client.ping(),
  };
}
