// The ID token's signature, checked against the issuer's published keys (JWKS, found through discovery). Auth.js
// (oauth4webapi) validates iss, aud, exp and nonce of the ID token but, for tokens fetched from the token endpoint,
// leans on TLS instead of the signature; Keyport checks the signature as well, with iss, aud and exp again.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";

const discoverySchema = z.object({ issuer: z.string(), jwks_uri: z.string() });

type KeySet = ReturnType<typeof createRemoteJWKSet>;
const keySets = new Map<string, Promise<KeySet>>();

async function keySetFor(issuer: string): Promise<KeySet> {
  let found = keySets.get(issuer);
  if (!found) {
    found = (async () => {
      const res = await fetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`OpenID discovery answered ${res.status}`);
      const doc = discoverySchema.parse(await res.json());
      if (doc.issuer !== issuer) throw new Error("OpenID discovery names another issuer");
      return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
    })();
    keySets.set(issuer, found);
    // A failed discovery is retried on the next sign-in, not remembered.
    found.catch(() => keySets.delete(issuer));
  }
  return found;
}

/** The verified claims, or null when the signature, issuer, audience or expiry does not hold. */
export async function verifyIdToken(options: { idToken: string; issuer: string; clientId: string }): Promise<JWTPayload | null> {
  try {
    const keys = await keySetFor(options.issuer);
    const { payload } = await jwtVerify(options.idToken, keys, { issuer: options.issuer, audience: options.clientId, clockTolerance: 60 });
    return payload;
  } catch {
    return null;
  }
}
