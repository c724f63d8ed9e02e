// Streams stay streams (HOUSE-STYLE 17): a Node body handed to a web Response without reading ahead.
import type { Readable } from "node:stream";

/**
 * The upstream body as a web stream that reads one chunk per pull: nothing is read from the upstream socket until
 * the client has taken the previous chunk (Node 20's Readable.toWeb reads ahead without bound). Cancelling it (the
 * client went away) destroys the upstream body, which aborts the upstream request.
 */
export function pullStream(body: Readable): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

