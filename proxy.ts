// Next.js proxy (the file convention that replaced middleware): every page request gets a fresh CSP nonce. The
// framework reads the nonce from the request's Content-Security-Policy header and puts it on its own scripts; the
// root layout reads x-nonce for the theme script; the browser gets the same policy on the response (CONTRACT §17).
import { NextResponse, type NextRequest } from "next/server";
import { isProduction } from "./lib/env";
import { newNonce, pageContentSecurityPolicy } from "./lib/http/security-headers";

export const NONCE_HEADER = "x-nonce";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, { dev: !isProduction() });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: API routes answer JSON (a fixed CSP from next.config.ts) and static assets need none. Prefetches
  // are skipped as the framework advises: their payload is not a document.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
