// Gives @upstash/ratelimit the Redis it expects (the @upstash/redis call shapes it uses: evalsha/eval with key and
// argument arrays, get, set) on top of an ioredis client, so the same limiter runs over plain Redis TCP.
//
// One translation: @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`, a flag Upstash's servers
// understand and open-source Redis rejects ("Unexpected flag in script shebang"). The adapter loads each script
// without that shebang and remembers which loaded sha stands for the library's hard-coded one, so after the first
// call every request is a plain EVALSHA.
import { createHash } from "node:crypto";
import type Redis from "ioredis";
import type { ScriptRedis } from "./upstash-store";

const arg = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");

/** The script as open-source Redis accepts it: an Upstash-specific shebang line removed. */
export function portableScript(script: string): string {
  return script.replace(/^#!lua[^\n]*\n/, "");
}

/** Maps the sha @upstash/ratelimit asks for to the sha of the portable script Redis has loaded. */
export class ScriptShas {
  private readonly loaded = new Map<string, string>();
  resolve(sha: string): string | undefined {
    return this.loaded.get(sha);
  }
  remember(script: string): { script: string; sha: string } {
    const portable = portableScript(script);
    const sha = sha1(portable);
    this.loaded.set(sha1(script), sha);
    return { script: portable, sha };
  }
}

export function ioredisAdapter(client: Redis): ScriptRedis {
  const shas = new ScriptShas();
  return {
    // Unknown sha → NOSCRIPT, and @upstash/ratelimit retries with eval, which teaches us the mapping.
    evalsha: (sha, keys, args) => {
      const loaded = shas.resolve(sha);
      if (!loaded) return Promise.reject(new Error("NOSCRIPT No matching script (not loaded through this adapter yet)"));
      return client.evalsha(loaded, keys.length, ...keys, ...args.map(arg));
    },
    eval: (script, keys, args) => client.eval(shas.remember(script).script, keys.length, ...keys, ...args.map(arg)),
    get: (key) => client.get(key),
    set: (key, value) => client.set(key, arg(value)),
    pexpire: (key, ms) => client.pexpire(key, ms),
    ping: () => client.ping(),
  };
}
