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
};

export default nextConfig;
