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
    // lib/errors.ts and the edge (lib/http, app/, cli/) turns them into answers.
    files: ["lib/analytics/**", "lib/ingest/**", "lib/reports/**", "lib/auth/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/lib/http", "@/lib/http/*", "../http/*"], message: "Domain code must not import lib/http; throw an AppError from @/lib/errors." },
            { group: ["next", "next/*", "@/app/*"], message: "Domain code must not import Next.js or the app." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "Response", message: "Domain code returns data; the edge builds the Response." }],
    },
  },
];

export default config;
