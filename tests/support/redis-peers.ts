// The two ways a test suite talks to the real test Redis: ioredis over TCP, and the local Upstash-protocol emulator
// (for the real @upstash/redis REST client). Opened before the suite's tests and closed after them.
import Redis from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { redisOptions } from "../../lib/redis/client";
import { TEST_REDIS_URL } from "./databases";
import { startUpstashEmulator, type UpstashEmulator } from "./upstash-emulator";

export type RedisPeers = { readonly ioredis: Redis; readonly emulator: UpstashEmulator };

/** Call at the top of a test file; read the fields inside tests (they are set in beforeAll). */
export function openRedisPeers(): RedisPeers {
  const peers = {} as { ioredis: Redis; emulator: UpstashEmulator };
  beforeAll(async () => {
    peers.ioredis = new Redis(TEST_REDIS_URL, redisOptions());
    peers.emulator = await startUpstashEmulator(TEST_REDIS_URL);
  });
  afterAll(async () => {
    peers.ioredis?.disconnect();
    await peers.emulator?.close();
  });
  return peers;
}
