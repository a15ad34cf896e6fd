import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/WASM and data-file packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "geoip-country",
    "bcryptjs",
  ],
  poweredByHeader: false,
  // forbidden()/unauthorized() give shared views real 403/401 pages (app/share/[token]).
  experimental: { authInterrupts: true },
  // The seed's API used trailing slashes (/api/utm/general-stats/); both forms answer.
  skipTrailingSlashRedirect: true,
  // Build files bypass proxy.ts (which sets the security headers of every page and answer).
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};

export default nextConfig;
