import next from "eslint-config-next";

const config = [
  ...next,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "drizzle/**", "public/t.js", "next-env.d.ts", "test-results/**", "playwright-report/**", "e2e-artifacts/**"],
  },
  {
    // The @typescript-eslint plugin is registered (by eslint-config-next) for TS files only.
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
];

export default config;
