import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    environment: "node",
    // PGlite instances are heavy in WASM memory; two workers fit the 2-core machine.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { DATA_DIR: ".data/test", APP_TIMEZONE: "UTC", APP_CURRENCY: "UAH", AUTH_SECRET: "test-secret-test-secret-0123456789" },
  },
});
