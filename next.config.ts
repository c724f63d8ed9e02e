import type { NextConfig } from "next";
import { isProduction } from "./lib/env";

// Next.js inlines its bootstrap scripts, so scripts need 'unsafe-inline' (and 'unsafe-eval' for dev tooling).
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isProduction() ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${isProduction() ? "" : " ws: wss:"}`,
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // Lets parallel work build into separate folders (KEYPORT_DIST_DIR=.next-x); CI and users get the default.
  distDir: process.env.KEYPORT_DIST_DIR || ".next",
  poweredByHeader: false,
  // forbidden() → app/forbidden.tsx with a real 403 (admin pages under ADMIN_REQUIRE_2FA).
  experimental: { authInterrupts: true },
  // `npm test` typechecks the whole project before it builds; checking again here would only double the time.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "ioredis", "pino", "nodemailer", "prom-client"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
