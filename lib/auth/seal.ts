// Seals small secrets at rest (TOTP secrets) with AES-256-GCM under a key derived from AUTH_SECRET: a database dump
// alone does not hand out anyone's second factor.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

const keyFor = (secret: string) => Buffer.from(hkdfSync("sha256", secret, "keyport", "totp-secret-seal", 32));

export function seal(plain: string, secret = env().AUTH_SECRET ?? ""): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1.${iv.toString("base64url")}.${body.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

export function unseal(sealed: string, secret = env().AUTH_SECRET ?? ""): string {
  const [version, iv, body, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !body || !tag) throw new Error("unknown sealed format");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
