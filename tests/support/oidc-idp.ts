// A real OpenID Connect provider (the oidc-provider package) on loopback, for integration and end-to-end tests of
// single sign-on. Logins are decided by the test (`idp.nextLogin`) or typed into the provider's own small form; everything else — discovery,
// the authorization code flow with PKCE, state and nonce, signed ID tokens, the JWKS, userinfo — is the provider's.
// A test can also make the token endpoint hand out a tampered ID token (another signing key, another issuer).
import { createHash } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, importJWK, SignJWT, decodeJwt, decodeProtectedHeader, type JWK } from "jose";
import Provider from "oidc-provider";

export type IdpAccount = { email: string; email_verified: boolean; name?: string };

export type IdTokenTamper = "other-key" | "other-issuer" | null;

export type TestIdp = {
  issuer: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** People this provider knows, by subject. */
  accounts: Map<string, IdpAccount>;
  /** The subject the next login interaction signs in as. */
  nextLogin: string | null;
  /** When set, the token endpoint's ID token is re-signed (another key) or re-issued (another iss) on the way out. */
  tamper: IdTokenTamper;
  stop: () => Promise<void>;
};

export async function startTestIdp(options: { port: number; redirectUris: string[]; clientId?: string; clientSecret?: string }): Promise<TestIdp> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const clientId = options.clientId ?? "keyport-test";
  const clientSecret = options.clientSecret ?? "keyport-test-secret-keyport-test-secret";
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: "idp-key-1", alg: "RS256", use: "sig" };
  // The attacker's key claims the same key id, so only the signature can tell them apart.
  const other = await generateKeyPair("RS256", { extractable: true });

  const accounts = new Map<string, IdpAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [signingJwk] },
    cookies: { keys: ["test-idp-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Consent is implied: a grant for the requested scopes is made on the spot.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId?: string }; provider: Provider } }) {
      if (!ctx.oidc.session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
  });
  const handle = provider.callback();

  const idp: TestIdp = {
    issuer,
    port: options.port,
    clientId,
    clientSecret,
    accounts,
    nextLogin: null,
    tamper: null,
    stop: async () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function tamperIdToken(idToken: string, how: Exclude<IdTokenTamper, null>): Promise<string> {
    const claims = decodeJwt(idToken);
    const header = decodeProtectedHeader(idToken);
    const key = how === "other-key" ? other.privateKey : await importJWK(signingJwk, "RS256");
    return new SignJWT({ ...claims, ...(how === "other-issuer" ? { iss: "http://127.0.0.1:9/not-the-issuer" } : {}) })
      .setProtectedHeader({ alg: "RS256", kid: header.kid, typ: header.typ })
      .sign(key);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (interaction) {
      void (async () => {
        try {
          await provider.interactionDetails(req, res);
          let accountId = idp.nextLogin;
          if (!accountId && req.method === "POST") {
            // The browser flow: the person typed their address into the provider's own form.
            let raw = "";
            for await (const chunk of req) raw += chunk;
            const email = new URLSearchParams(raw).get("email")?.trim().toLowerCase() ?? "";
            if (!email.includes("@")) {
              res.writeHead(400, { "content-type": "text/plain" }).end("an email address is needed");
              return;
            }
            accountId = `sub-${createHash("sha256").update(email).digest("hex").slice(0, 16)}`;
            accounts.set(accountId, { email, email_verified: true, name: email.split("@")[0] });
          }
          if (!accountId) {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
              `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Test IdP</title></head>` +
                `<body><main><h1>Test identity provider</h1><form method="post" action="${url.pathname}">` +
                `<label>Work email <input name="email" type="email" autocomplete="email"></label> <button type="submit">Sign in to the test IdP</button>` +
                `</form></main></body></html>`,
            );
            return;
          }
          if (!accounts.has(accountId)) {
            res.writeHead(400, { "content-type": "text/plain" }).end("unknown test login");
            return;
          }
          await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
        } catch (error) {
          res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
        }
      })();
      return;
    }
    const tamper = idp.tamper;
    if (tamper && url.pathname === "/token" && req.method === "POST") {
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      res.end = ((chunk?: unknown) => {
        void (async () => {
          try {
            const body = JSON.parse(String(chunk)) as { id_token?: string };
            if (body.id_token) body.id_token = await tamperIdToken(body.id_token, tamper);
            const text = JSON.stringify(body);
            if (!res.headersSent) res.setHeader("content-length", Buffer.byteLength(text));
            end(text);
          } catch {
            end(chunk);
          }
        })();
        return res;
      }) as typeof res.end;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return idp;
}
