// One HTTP attempt of a webhook delivery. The socket connects only to an address that passed the SSRF check after
// DNS resolution (our own lookup answers the connect), redirects are never followed (a 3xx is a failure), the whole
// attempt is bounded by a timeout, and at most a few KiB of the answer are read.
import http from "node:http";
import https from "node:https";
import type { LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { SsrfError, resolvePublicAddresses } from "./ssrf-guard";

export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4096;

export type PostResult =
  | { ok: true; status: number; excerpt: string }
  | { ok: false; status: number | null; excerpt: string | null; error: string };

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export async function postWebhook(
  target: string,
  { headers, body, allowPrivate, timeoutMs = DELIVERY_TIMEOUT_MS }: { headers: Record<string, string>; body: string; allowPrivate: boolean; timeoutMs?: number },
): Promise<PostResult> {
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) throw new SsrfError("refused: webhook URLs must use https");
    // A literal address never goes through lookup, so it is checked here.
    if (!allowPrivate && isIP(url.hostname.replace(/^\[|\]$/g, ""))) await resolvePublicAddresses(url.hostname);
  } catch (error) {
    return { ok: false, status: null, excerpt: null, error: error instanceof Error ? error.message : String(error) };
  }

  // Resolve, check every address, and hand the connect only checked ones.
  const lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolvePublicAddresses(hostname).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (error: Error) => callback(Object.assign(error, { code: error instanceof SsrfError ? "ESSRF" : "ENOTFOUND" }), ""),
    );
  };

  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        ...(allowPrivate ? {} : { lookup: lookup as unknown as typeof import("node:dns").lookup }),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).toString("utf8").slice(0, 1024);
          if (status >= 200 && status < 300) finish({ ok: true, status, excerpt });
          else finish({ ok: false, status, excerpt, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` });
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, status: null, excerpt: null, error: `timed out after ${timeoutMs / 1000} s` });
    }, timeoutMs);
    request.on("error", (error) => finish({ ok: false, status: null, excerpt: null, error: error.message }));
    request.end(body);
  });
}
