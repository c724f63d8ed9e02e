// The request body as exact bytes (a signature covers bytes, not a re-encoded string), at most maxBytes (413 beyond).
import { ApiError } from "../http/errors";

export async function readRawBody(request: Request, maxBytes: number, { json = false }: { json?: boolean } = {}): Promise<Buffer> {
  const tooLarge = () => new ApiError("payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`);
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  const type = request.headers.get("content-type");
  if (json && !/^application\/json\s*(;|$)/i.test(type ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the body as Content-Type: application/json.");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}
