import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/helpers/env";

/**
 * End-to-end tests (SPEC 11): a PRODUCTION build of the app (`next build` + `npm start`) on a
 * fresh embedded database, driven by Debian's Chromium (no browser download).
 *
 * Environment knobs (all optional):
 *   E2E_PORT / E2E_DATA_DIR   where the app listens and keeps its data (3200, .data/e2e)
 *   E2E_DATABASE_URL          run the app on this PostgreSQL instead of embedded PGlite
 *   E2E_SKIP_BUILD=1          the build is already fresh (.ci/run builds once, just before)
 *   CHROMIUM_PATH             another Chromium binary (default /usr/bin/chromium)
 */

const serverEnv: Record<string, string> = {
  ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
  NODE_ENV: "production",
  PORT: String(E2E.port),
  DATA_DIR: E2E.dataDir,
  // Empty = unset (lib/config.ts): a DATABASE_URL of the shell must not leak into the e2e app.
  DATABASE_URL: E2E.databaseUrl ?? "",
  DEMO_DATA: "0",
  ADMIN_EMAIL: E2E.adminEmail,
  ADMIN_PASSWORD: E2E.adminPassword,
  AUTH_SECRET: "e2e-auth-secret-e2e-auth-secret-0123",
  APP_URL: E2E.appUrl,
  NEXTAUTH_URL: E2E.appUrl,
  APP_TIMEZONE: "UTC",
  APP_CURRENCY: "UAH",
};

// A fresh database every run: the data directory is removed before the server starts.
const fresh = `node -e "require('fs').rmSync(process.argv[1],{recursive:true,force:true})" ${JSON.stringify(E2E.dataDir)}`;
const start = process.env.E2E_SKIP_BUILD === "1" ? "npm start" : "npm run build && npm start";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  // One app, one database, 2 cores: specs run one after the other.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "e2e-artifacts/html-report", open: "never" }]],
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    video: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        },
      },
    },
  ],
  webServer: {
    command: `${fresh} && ${start}`,
    url: `${E2E.appUrl}/t.js`,
    env: serverEnv,
    reuseExistingServer: !process.env.CI,
    // A cold `next build` on 2 cores takes a few minutes.
    timeout: 15 * 60_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets `npm start` close the embedded database cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
