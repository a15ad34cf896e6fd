import type { NextConfig } from "next";

/** 21 MiB: the batch route's 20 MiB limit plus room for the multipart/JSON framing around it. */
export const PROXY_BODY_BYTES = 21 * 1024 * 1024;

const nextConfig: NextConfig = {
  // Native/WASM and data-file packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "geoip-country",
    "bcryptjs",
  ],
  poweredByHeader: false,
  // A second build beside the default one (a parallel checkout's screenshots or benchmark) sets
  // NEXT_DIST_DIR so the two never overwrite each other's files.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // forbidden()/unauthorized() give shared views real 403/401 pages (app/share/[token]).
    authInterrupts: true,
    // proxy.ts runs before the API routes, and Next buffers the body it clones for them only up
    // to this size (default 10 MB), silently cutting the rest: a 15 MB batch reached its route
    // cut and was answered "not valid JSON". Above the largest route limit (the 20 MB batch), so
    // each route's own reader answers 413 with its limit (tests/unit/body-limits.test.ts).
    proxyClientMaxBodySize: PROXY_BODY_BYTES,
  },
  // The seed's API used trailing slashes (/api/utm/general-stats/); both forms answer.
  skipTrailingSlashRedirect: true,
  // Build files bypass proxy.ts (which sets the security headers of every page and answer).
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};

export default nextConfig;
