/**
 * Where the e2e app runs and how to sign in to it; shared by playwright.config.ts and the specs,
 * so a spec never hard-codes a port or a credential.
 */
const port = Number(process.env.E2E_PORT ?? 3200);

export const E2E = {
  port,
  appUrl: `http://127.0.0.1:${port}`,
  dataDir: process.env.E2E_DATA_DIR ?? ".data/e2e",
  databaseUrl: process.env.E2E_DATABASE_URL || undefined,
  adminEmail: "admin@e2e.test",
  adminPassword: "e2e-password-123",
  /** A second origin for the "shop" page that embeds the tracker. */
  shopPort: Number(process.env.E2E_SHOP_PORT ?? port + 1),
};

/**
 * A desktop Chrome User-Agent. Headless Chromium says "HeadlessChrome", which the collector
 * rightly drops as a bot (SPEC 2.2), so specs that expect tracked sessions browse as this.
 */
export const DESKTOP_CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
