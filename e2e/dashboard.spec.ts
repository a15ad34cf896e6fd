import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { cli, ensureDemoData, signIn } from "./helpers/app";
import { withAppDb } from "./helpers/db";
import { E2E } from "./helpers/env";
import { createApiToken } from "./helpers/tokens";

/**
 * The dashboard against the production build (SPEC 6, seed "Browser Testing"): demo data is
 * loaded once through the CLI while the app runs (the e2e server starts with DEMO_DATA=0), a
 * viewer is created the same way, and each block's screenshot goes to e2e-artifacts/.
 */

const ART = "e2e-artifacts";
/** What a browser adds to the app's own writes (SPEC 16); Playwright's request context sends no Origin. */
const SAME_ORIGIN = { origin: E2E.appUrl };
const VIEWER = { email: "viewer@e2e.test", password: "viewer-password-123" };

test.beforeAll(async () => {
  test.setTimeout(900_000);
  mkdirSync(ART, { recursive: true });
  await ensureDemoData();
  const viewers = await withAppDb(async (sql) => (await sql<{ n: number }[]>`select count(*)::int as n from users where email = ${VIEWER.email}`)[0].n);
  if (viewers === 0) cli(["user", "create", "--email", VIEWER.email, "--password", VIEWER.password, "--role", "viewer"]);
  await postAbFixture();
});

/**
 * Demo data is relative to today, so whether its A/B campaign has a winner on a given day is
 * chance. The checklist needs one: campaign `e2e_ab` gets creative A with 12 of 60 sessions
 * converted (20%) and B with 3 of 60 (5%), posted through the ingestion API an hour ago.
 * Expected: winner A, lift (20−5)/5 = +300.0%, pooled p = 15/120, z ≈ 2.48 → confidence ≈ 98.7%
 * (green).
 */
const AB_CAMPAIGN = "e2e_ab";
async function postAbFixture(): Promise<void> {
  const token = createApiToken("e2e-ab", ["ingest"]);
  const startedAt = new Date(Date.now() - 3600_000).toISOString();
  const sessions: object[] = [];
  const orders: object[] = [];
  for (const [content, converted] of [["A", 12], ["B", 3]] as const) {
    for (let i = 0; i < 60; i++) {
      const id = randomUUID();
      sessions.push({
        id,
        visitor_id: `e2e-ab-${content}-${i}`,
        started_at: startedAt,
        landing_url: `https://shop.example/?utm_source=facebook&utm_medium=cpc&utm_campaign=${AB_CAMPAIGN}&utm_content=${content}`,
      });
      if (i < converted) orders.push({ order_id: `e2e-ab-${content}-${i}`, session_id: id, total: 500, placed_at: startedAt });
    }
  }
  const res = await fetch(`${E2E.appUrl}/api/ingest/batch`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ sessions, events: [], orders }),
  });
  if (!res.ok) throw new Error(`A/B fixture: ${res.status} ${await res.text()}`);
}

async function setLang(context: BrowserContext, lang: "uk" | "en"): Promise<void> {
  await context.addCookies([{ name: "lang", value: lang, url: E2E.appUrl }]);
}

/** Every block has streamed in: no «Завантаження...» status left. */
async function blocksLoaded(page: Page): Promise<void> {
  await expect(page.locator("[data-block] [role=status]")).toHaveCount(0, { timeout: 60_000 });
}

/** Console errors and failed same-origin responses of a page. */
function watch(page: Page) {
  const errors: string[] = [];
  const failed: string[] = [];
  const calls: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (!r.url().startsWith(E2E.appUrl)) return;
    calls.push(`${r.status()} ${r.url()}`);
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  return { errors, failed, calls };
}

async function newSignedIn(browser: Browser, opts: { lang?: "uk" | "en"; width?: number; email?: string; password?: string } = {}) {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 } });
  await signIn(context, opts.email, opts.password);
  await setLang(context, opts.lang ?? "uk");
  return { context, page: await context.newPage() };
}

test("dispatcher: the seed's browser checklist", async ({ browser }) => {
  test.setTimeout(300_000);
  const { context, page } = await newSignedIn(browser);
  const w = watch(page);
  await page.goto("/dispatcher");
  await blocksLoaded(page);

  // Repeat purchase cards: five, with non-zero values on demo data.
  const cards = page.locator("[data-repeat-card]");
  await expect(cards).toHaveCount(5);
  for (const v of await page.locator("[data-repeat-card] [data-value]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-value"))))) {
    expect(v).toBeGreaterThan(0);
  }

  // LTV: top 5 rows with colour coding; the best source is at least the overall LTV (green).
  // The top 5 only; sources with fewer than 5 customers wait behind "show all" (<details>).
  const tones = await page
    .locator("[data-ltv-tone]")
    .evaluateAll((els) => els.filter((e) => !e.closest("details")).map((e) => e.getAttribute("data-ltv-tone")));
  expect(tones.length).toBeGreaterThan(0);
  expect(tones.length).toBeLessThanOrEqual(5);
  expect(tones).toContain("green");
  for (const tone of tones) expect(["green", "yellow", "red"]).toContain(tone);

  // Screenshots of every block.
  for (const el of await page.locator("[data-block]").all()) {
    const id = await el.getAttribute("data-block");
    await el.screenshot({ path: `${ART}/dashboard-${id}.png` });
  }

  // Cohorts: every metric × type through the selectors and «Оновити»; the heatmap follows.
  const controls = page.getByTestId("cohort-controls");
  for (const metric of ["retention", "ltv", "orders", "revenue"]) {
    for (const type of ["day", "week", "month"]) {
      await controls.getByLabel("Метрика").selectOption(metric);
      await controls.getByLabel("Тип когорти").selectOption(type);
      await controls.getByRole("button", { name: "Оновити" }).click();
      const container = page.locator("#cohort-heatmap-container");
      // The URL carries the choice (defaults are left out to keep links short).
      if (metric !== "retention") await expect(page).toHaveURL(new RegExp(`cohort_metric=${metric}`), { timeout: 60_000 });
      if (type !== "week") await expect(page).toHaveURL(new RegExp(`cohort_type=${type}`), { timeout: 60_000 });
      await expect(container).toHaveAttribute("data-metric", metric, { timeout: 60_000 });
      await expect(container).toHaveAttribute("data-cohort-type", type, { timeout: 60_000 });
      await expect(page.locator("[data-heatmap] svg")).toBeVisible();
      await expect(page.locator("[data-cohort-totals] > div").first()).toBeVisible();
    }
  }
  const renderMs = Number(await page.locator("[data-heatmap]").getAttribute("data-render-ms"));
  console.log(`heatmap client render: ${renderMs} ms`);
  await page.locator("[data-block=cohort]").screenshot({ path: `${ART}/dashboard-cohort-revenue-month.png` });

  // A/B: choose a campaign, «Показати результат», the table with 🏆 and a coloured confidence.
  const ab = page.getByTestId("ab-controls");
  const options = await ab.getByLabel("Кампанія").locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(options.length).toBeGreaterThan(0);
  expect(options).toContain(AB_CAMPAIGN);
  await ab.getByLabel("Кампанія").selectOption(AB_CAMPAIGN);
  await ab.getByRole("button", { name: "Показати результат" }).click();
  const result = page.locator("#ab-test-result");
  await expect(result.locator("table")).toBeVisible({ timeout: 30_000 });
  await expect(result).toContainText("🏆");
  await expect(result).toContainText("Переможець");
  await expect(result).toContainText("+300.0%");
  await expect(result.locator("[data-confidence-tone]")).toHaveAttribute("data-confidence-tone", "green");
  await page.locator("[data-block=ab]").screenshot({ path: `${ART}/dashboard-ab-result.png` });

  // Network: every call the page made answered 2xx/3xx; the console stayed clean.
  expect(w.failed).toEqual([]);
  expect(w.errors).toEqual([]);
  await context.close();
});

test("dispatcher: empty data and an unknown campaign give messages, a bad URL a clear notice", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newSignedIn(browser);
  await page.goto("/dispatcher?start_date=2001-01-01&end_date=2001-01-31&cohort_range=month&utm_source=nowhere&campaign=no_such_campaign");
  await blocksLoaded(page);
  await expect(page.locator("#cohort-heatmap-container")).toContainText("Недостатньо даних");
  await expect(page.locator("#ab-test-result")).toContainText("Немає даних");
  await expect(page.locator("[data-block=acquisition]")).toContainText("Немає даних");
  await page.goto("/dispatcher");
  await blocksLoaded(page);
  await expect(page.locator("#ab-test-result")).toContainText("Оберіть кампанію");
  await page.goto("/dispatcher?period=fortnight&cohort_type=year");
  await expect(page.getByTestId("invalid-url")).toContainText("period");
  await expect(page.getByTestId("invalid-url")).toContainText("cohort_type");
  await context.close();
});

test("dispatcher: filters live in the URL (row click, reload, back/forward, copied link)", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newSignedIn(browser);
  await page.goto("/dispatcher?period=quarter");
  await blocksLoaded(page);
  const firstRow = page.locator("[data-block=acquisition] [data-row-filter]").first();
  const source = (await firstRow.textContent())?.trim() ?? "";
  await firstRow.click();
  await expect(page).toHaveURL(new RegExp(`utm_source=${encodeURIComponent(source).replace(/[()]/g, "\\$&")}`), { timeout: 60_000 });
  await expect(page.locator("[data-chip=utm_source]")).toContainText(source);
  const deepLink = page.url();

  // The copied link in a fresh tab opens the same view.
  const other = await context.newPage();
  await other.goto(deepLink);
  await expect(other.locator("[data-chip=utm_source]")).toContainText(source);
  await other.close();

  await page.goBack();
  await expect(page.locator("[data-chip=utm_source]")).toHaveCount(0, { timeout: 60_000 });
  await page.goForward();
  await expect(page.locator("[data-chip=utm_source]")).toContainText(source, { timeout: 60_000 });
  await blocksLoaded(page);
  // Removing the chip drops the filter.
  await page.getByRole("button", { name: /Прибрати фільтр/ }).click();
  await expect(page).not.toHaveURL(/utm_source=/, { timeout: 60_000 });
  await context.close();
});

test("share link: read-only in a fresh context, widening refused with 403, revoked → 401", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context: admin } = await newSignedIn(browser);
  const res = await admin.request.post("/api/settings/share-links", { headers: SAME_ORIGIN, data: { name: "e2e", params: "period=month&utm_source=google", expires_in_days: 1 } });
  expect(res.status()).toBe(201);
  const link = (await res.json()) as { id: string; token: string; url: string };

  const anon = await browser.newContext();
  const page = await anon.newPage();
  const w = watch(page);
  const ok = await page.goto(link.url);
  expect(ok?.status()).toBe(200);
  await expect(page.getByTestId("share-banner")).toContainText("google");
  await blocksLoaded(page);
  await page.screenshot({ path: `${ART}/dashboard-share.png`, fullPage: true });
  // No admin actions, no filter bar in a shared view.
  await expect(page.getByTestId("filter-bar")).toHaveCount(0);
  await expect(page.locator("[data-spend-upload]")).toHaveCount(0);
  // Its CSV links carry the token and work without an account.
  const csv = await page.locator("[data-block=acquisition] [data-export]").getAttribute("href");
  expect(csv).toContain(`share=${encodeURIComponent(link.token)}`);
  expect((await anon.request.get(csv ?? "")).status()).toBe(200);

  const widened = await page.goto(link.url.replace("period=month", "period=year"));
  expect(widened?.status()).toBe(403);
  const otherFilter = await page.goto(link.url.replace("utm_source=google", "utm_source=facebook"));
  expect(otherFilter?.status()).toBe(403);
  expect((await anon.request.get(`/api/utm/general-stats?period=year&utm_source=google&share=${encodeURIComponent(link.token)}`)).status()).toBe(403);
  expect(w.errors.filter((e) => !/403/.test(e))).toEqual([]);

  expect((await admin.request.delete(`/api/settings/share-links/${link.id}`, { headers: SAME_ORIGIN })).status()).toBe(200);
  const revoked = await page.goto(link.url);
  expect(revoked?.status()).toBe(401);
  await anon.close();
  await admin.close();
});

test("language switch: cookie first, Ukrainian by default", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ locale: "de-DE" });
  await signIn(context);
  const page = await context.newPage();
  await page.goto("/dispatcher");
  await expect(page.locator("#block-acquisition-title")).toHaveText("Джерела трафіку");
  await page.getByTestId("lang-switch").selectOption("en");
  await expect(page.locator("#block-acquisition-title")).toHaveText("Traffic sources", { timeout: 30_000 });
  await page.reload();
  await expect(page.locator("#block-acquisition-title")).toHaveText("Traffic sources");
  await page.getByTestId("lang-switch").selectOption("uk");
  await expect(page.locator("#block-acquisition-title")).toHaveText("Джерела трафіку", { timeout: 30_000 });
  await context.close();
});

test("viewer: no admin actions, and the server refuses them with 403", async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await newSignedIn(browser, { email: VIEWER.email, password: VIEWER.password });
  await page.goto("/dispatcher");
  await blocksLoaded(page);
  await expect(page.locator("[data-spend-upload]")).toHaveCount(0);
  await expect(page.getByTestId("share-view")).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByTestId("viewer-notice")).toBeVisible();
  for (const id of ["create-user", "create-token", "create-subscription", "create-share-link"]) await expect(page.getByTestId(id)).toHaveCount(0);
  expect((await context.request.post("/api/settings/users", { headers: SAME_ORIGIN, data: { email: "x@y.test", password: "password123", role: "admin" } })).status()).toBe(403);
  expect((await context.request.post("/api/settings/tokens", { headers: SAME_ORIGIN, data: { name: "x", scopes: ["read"] } })).status()).toBe(403);
  expect((await context.request.post("/api/settings/share-links", { headers: SAME_ORIGIN, data: { params: "period=week" } })).status()).toBe(403);
  expect((await context.request.post("/api/utm/ad-spend", { headers: SAME_ORIGIN, data: [] })).status()).toBe(403);
  await context.close();
});

test("375 px: the dashboard fits a phone", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newSignedIn(browser, { width: 375 });
  await page.goto("/dispatcher?campaign=spring_sale");
  await blocksLoaded(page);
  // Wide tables and charts scroll inside their cards; the page itself never scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(376);
  await page.screenshot({ path: `${ART}/dashboard-375.png`, fullPage: true });
  await context.close();
});
