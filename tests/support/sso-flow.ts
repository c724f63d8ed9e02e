// The browser's part of a single-sign-on round trip, done with fetch and two cookie jars (Keyport's and the
// provider's), so integration tests can stop, alter or replay any step: the authorization URL (nonce), the callback
// URL (state, code) or the callback itself.
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(initial?: string) {
    for (const pair of initial?.split(";") ?? []) {
      const i = pair.indexOf("=");
      if (i > 0) this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split("=")[1]).getTime() < Date.now()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The Auth.js session cookie alone, as a Cookie header ("" when there is none). */
  session(): string {
    return [...this.cookies].filter(([k]) => k.includes("session-token")).map(([k, v]) => `${k}=${v}`).join("; ");
  }

  clone(): CookieJar {
    return new CookieJar(this.header());
  }
}

async function get(url: string, jar: CookieJar): Promise<Response> {
  const res = await fetch(url, { redirect: "manual", headers: { Cookie: jar.header() } });
  jar.take(res);
  return res;
}

/** Step 1: Keyport's sign-in POST → the provider's authorization URL (state, PKCE and nonce cookies in `app`). */
export async function startSso(baseUrl: string, options: { app?: CookieJar; provider?: string; callbackUrl?: string } = {}): Promise<{ app: CookieJar; authorizationUrl: string }> {
  const app = options.app ?? new CookieJar();
  const csrf = await get(`${baseUrl}/api/auth/csrf`, app);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/signin/${options.provider ?? "oidc"}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: app.header() },
    body: new URLSearchParams({ csrfToken, callbackUrl: options.callbackUrl ?? `${baseUrl}/dashboard` }),
  });
  app.take(res);
  const authorizationUrl = res.headers.get("location");
  if (res.status !== 302 || !authorizationUrl) throw new Error(`sign-in did not redirect to the provider: ${res.status} ${await res.text()}`);
  return { app, authorizationUrl };
}

/** Step 2: the provider's side (authorization, login interaction, resume) → Keyport's callback URL with code and state. */
export async function authorizeAtIdp(authorizationUrl: string, idpJar = new CookieJar()): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await get(url, idpJar);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) throw new Error(`provider stopped at ${url}: ${res.status} ${await res.text()}`);
    const next = new URL(location, url).toString();
    if (next.includes("/api/auth/callback/")) return next;
    url = next;
  }
  throw new Error("too many redirects at the provider");
}

export type CallbackOutcome = { status: number; location: string | null; session: string; jar: CookieJar };

/** Step 3: the browser arrives at Keyport's callback with its cookies. */
export async function finishSso(callbackUrl: string, app: CookieJar): Promise<CallbackOutcome> {
  const jar = app.clone();
  const res = await get(callbackUrl, jar);
  return { status: res.status, location: res.headers.get("location"), session: jar.session(), jar };
}

/** The whole round trip. */
export async function ssoSignIn(baseUrl: string, options: { app?: CookieJar; provider?: string; callbackUrl?: string } = {}): Promise<CallbackOutcome> {
  const { app, authorizationUrl } = await startSso(baseUrl, options);
  return finishSso(await authorizeAtIdp(authorizationUrl), app);
}
