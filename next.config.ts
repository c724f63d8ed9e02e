import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY } from "./lib/http/security-headers";

// Pages get their Content-Security-Policy, with a per-request script nonce, from proxy.ts; HSTS comes from the server
// entry (it depends on APP_URL at run time, not at build time).
const securityHeaders = [
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
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "ioredis", "pino", "nodemailer", "undici", "prom-client"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
