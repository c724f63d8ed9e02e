import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { pullStream } from "./pull-stream";

/** A source of `count` 64 KiB chunks that counts how many were asked of it. */
function source(count: number) {
  let produced = 0;
  const readable = new Readable({
    highWaterMark: 1,
    read() {
      if (produced === count) return void this.push(null);
      produced++;
      this.push(Buffer.alloc(64 * 1024, produced % 256));
    },
  });
  return { readable, produced: () => produced };
}

describe("pullStream", () => {
  it("reads the source only as fast as the consumer reads (a bounded read-ahead, never the whole body)", async () => {
    const { readable, produced } = source(160);
    const reader = pullStream(readable).getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 50));
    expect(produced()).toBeLessThan(8);
    let bytes = 64 * 1024;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    expect(bytes).toBe(160 * 64 * 1024);
  });

  it("destroys the source when the consumer cancels (the client went away)", async () => {
    const { readable } = source(1000);
    const reader = pullStream(readable).getReader();
    await reader.read();
    await reader.cancel(new Error("client gone"));
    await new Promise((r) => setTimeout(r, 10));
    expect(readable.destroyed).toBe(true);
  });

  it("passes a chunk on as soon as it arrives", async () => {
    const readable = new Readable({ read() {} });
    const reader = pullStream(readable).getReader();
    const first = reader.read();
    setTimeout(() => readable.push(Buffer.from("data: 1\n\n")), 20);
    expect(new TextDecoder().decode((await first).value)).toBe("data: 1\n\n");
    readable.push(null);
    expect((await reader.read()).done).toBe(true);
  });
});
