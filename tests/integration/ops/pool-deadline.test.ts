// The pool's connect deadline counts time the process could run: a connection set up while the event loop was blocked
// longer than the deadline is still used (before, the 2 s timer fired in the same turn as the ready connection, and a
// healthy database was marked unreachable), and a server that never answers still fails within a few seconds, as
// unreachable.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isDatabaseUnavailable } from "../../../lib/db/availability";
import { openDatabase, type Database } from "../../../lib/db/client";
import { startTcpProxy, viaProxy, type TcpProxy } from "../../support/tcp-proxy";

let proxy: TcpProxy;
const opened: Database[] = [];

beforeAll(async () => {
  const target = new URL(inject("databaseUrl"));
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.close().catch(() => {})));
  await proxy?.close();
});

const block = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe("the pool's connect deadline", () => {
  it("uses a connection that was set up while the event loop was blocked for longer than the deadline", async () => {
    const database = await openDatabase({ url: inject("databaseUrl"), max: 2 });
    opened.push(database);
    const pinged = database.ping();
    block(2_600);
    await expect(pinged).resolves.toBeUndefined();
  });

  it("still gives up on a server that accepts connections and never answers, as unreachable", async () => {
    proxy.blackhole();
    const database = await openDatabase({ url: viaProxy(inject("databaseUrl"), proxy), max: 2 });
    opened.push(database);
    const started = Date.now();
    const error = await database.ping().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
