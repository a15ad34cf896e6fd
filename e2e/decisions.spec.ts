import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { ensureDemoData, signIn } from "./helpers/app";
import { withAppDb } from "./helpers/db";
import { E2E } from "./helpers/env";

/**
 * Issue 13 in the browser (SPEC 13–15): the Attribution block with its model selector in the URL,
 * a Google Ads daily campaign export uploaded through the ROI block with its preview before it
 * writes, the spend audit, and the payback (ROAS) heatmap. Screenshots go to e2e-artifacts/.
 */

const ART = "e2e-artifacts";
const GOOGLE_EN = path.join(process.cwd(), "tests/fixtures/costs/google-ads-en.csv");

test.beforeAll(async () => {
  test.setTimeout(900_000);
  mkdirSync(ART, { recursive: true });
  await ensureDemoData();
});

async function signedInPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await signIn(context);
  await context.addCookies([{ name: "lang", value: "en", url: E2E.appUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { context, page, errors };
}

test("attribution block: six models side by side, the model selector lives in the URL", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page, errors } = await signedInPage(browser);
  await page.goto("/dispatcher?period=year&model=linear");
  const block = page.locator("[data-attribution]");
  await expect(block).toBeVisible({ timeout: 60_000 });
  await expect(block).toHaveAttribute("data-model", "linear");
  // One column per model of SPEC 13 in the first row.
  const models = await block.locator("[data-model]").evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute("data-model")))]);
  for (const m of ["last_non_direct", "last_click", "first_click", "linear", "position_based", "time_decay"]) expect(models).toContain(m);
  await page.locator("[data-block=attribution]").screenshot({ path: `${ART}/decisions-attribution.png` });
  expect(errors).toEqual([]);
  await context.close();
});

test("a Google Ads export uploaded through the ROI block: preview first, then import, spend audit shown", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page, errors } = await signedInPage(browser);
  await page.goto("/dispatcher?start_date=2026-03-01&end_date=2026-03-02");
  const form = page.locator("[data-spend-upload]");
  await expect(form).toBeVisible({ timeout: 60_000 });
  await form.locator("input[name=file]").setInputFiles(GOOGLE_EN);
  await form.locator("[data-spend-preview]").click();
  const summary = page.locator("[data-spend-summary]");
  await expect(summary).toHaveAttribute("data-spend-summary", "preview", { timeout: 30_000 });
  await expect(summary.locator("[data-spend-format]")).toHaveAttribute("data-spend-format", /google/);
  // The preview wrote nothing.
  const before = await withAppDb(async (sql) => (await sql<{ n: number }[]>`select count(*)::int as n from ad_spend where platform_campaign is not null and utm_source = 'google'`)[0].n);
  expect(before).toBe(0);
  await page.locator("[data-block=roi]").screenshot({ path: `${ART}/decisions-upload-preview.png` });
  await page.locator("[data-spend-import]").click();
  await expect(page.locator("[data-spend-summary]")).toHaveAttribute("data-spend-summary", "imported", { timeout: 30_000 });
  const stored = await withAppDb(
    async (sql) => await sql<{ date: string; utm_campaign: string; amount: string }[]>`
      select date::text as date, utm_campaign, amount::text as amount from ad_spend
      where platform_campaign is not null and utm_source = 'google' order by date, utm_campaign`,
  );
  // tests/fixtures/costs/google-ads-en.csv: Brand Search 1,234.56 on 2026-03-01 is among the rows.
  expect(stored.length).toBeGreaterThan(0);
  expect(stored.some((r) => r.date === "2026-03-01" && Number(r.amount) === 1234.56)).toBe(true);
  await page.reload();
  await expect(page.locator("[data-testid=spend-audit]")).toBeVisible({ timeout: 60_000 });
  await page.locator("[data-block=roi]").screenshot({ path: `${ART}/decisions-roi-audit.png` });
  expect(errors).toEqual([]);
  await context.close();
});

test("payback heatmap: cohort metric roas marks the paid-back column", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page, errors } = await signedInPage(browser);
  await page.goto("/dispatcher?cohort_metric=roas&cohort_type=week");
  const marked = page.locator("[data-paid-back]");
  await expect(marked).toHaveCount(1, { timeout: 60_000 });
  const cols = ((await marked.getAttribute("data-paid-back")) ?? "").split(",").map(Number);
  expect(cols.length).toBeGreaterThan(0);
  expect(cols.some((c) => c >= 0)).toBe(true);
  await page.locator("[data-block=cohort]").screenshot({ path: `${ART}/decisions-payback.png` });
  expect(errors).toEqual([]);
  await context.close();
});
