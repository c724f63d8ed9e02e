// GitHub secret-scanning partner requests are signed: ECDSA P-256 over the raw body with SHA-256, the signature
// base64 DER in Github-Public-Key-Signature, the key named by Github-Public-Key-Identifier and published in a
// document shaped like https://api.github.com/meta/public_keys/secret_scanning (read from SECRET_SCANNING_PUBLIC_KEYS).
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";

const keysDocument = z.object({
  public_keys: z.array(z.object({ key_identifier: z.string().min(1), key: z.string().min(1), is_current: z.boolean().optional() })),
});

type Cached = { path: string; loadedAt: number; keys: Map<string, KeyObject> };
let cached: Cached | null = null;
const RELOAD_MS = 60_000;

/** The key file, parsed; re-read at most once a minute so a rotated key is picked up without a restart. */
export async function loadScanningKeys(path: string): Promise<Map<string, KeyObject>> {
  if (cached && cached.path === path && Date.now() - cached.loadedAt < RELOAD_MS) return cached.keys;
  const doc = keysDocument.parse(JSON.parse(await readFile(path, "utf8")));
  const keys = new Map(doc.public_keys.map((k) => [k.key_identifier, createPublicKey(k.key)]));
  cached = { path, loadedAt: Date.now(), keys };
  return keys;
}

/** True only for a known key id and a valid signature of exactly these bytes. */
export function verifyGithubSignature(keys: Map<string, KeyObject>, { body, keyId, signature }: { body: Buffer; keyId: string | null; signature: string | null }): boolean {
  if (!keyId || !signature) return false;
  const key = keys.get(keyId);
  if (!key) return false;
  const bytes = Buffer.from(signature, "base64");
  if (bytes.length === 0 || bytes.length > 256) return false;
  try {
    return verify("sha256", body, { key, dsaEncoding: "der" }, bytes);
  } catch {
    return false;
  }
}
