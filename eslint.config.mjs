import next from "eslint-config-next";

const config = [
  ...next,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".data/**", "drizzle/**", "public/t.js", "next-env.d.ts", "test-results/**", "playwright-report/**", "e2e-artifacts/**"],
  },
  {
    // The @typescript-eslint plugin is registered (by eslint-config-next) for TS files only.
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The domain floor knows nothing of HTTP (ARCHITECTURE.md): it throws coded errors from
    // lib/errors.ts and the edge (lib/http, app/, cli/) turns them into answers. Every folder of
    // lib/ is domain (or db) by default, so a new one (lib/forwarding, lib/alerts, …) is covered
    // the day it is created; the edge parts of lib/ are named here: lib/http (guard, error
    // mapping, sessions, sign-in limits, the request's locale), lib/runtime (the self-hosted
    // server: front server, PGlite wire server, start wrapper). The bench harness, which calls
    // route handlers, lives in scripts/bench.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    ignores: ["lib/http/**", "lib/runtime/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/http", "@/lib/http/*", "**/http/*"], message: "Domain code must not import lib/http; throw an AppError from @/lib/errors." },
            { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "Domain code must not import Next.js or next-auth: request-bound code lives in lib/http." },
            { group: ["@/app/*", "**/app/*"], message: "Domain code must not import the app." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "Response", message: "Domain code returns data; the edge builds the Response." }],
    },
  },
];

export default config;
