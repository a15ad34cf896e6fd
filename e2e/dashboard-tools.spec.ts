import { mkdirSync } from "node:fs";
import { expect, request, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ensureDemoData, signIn } from "./helpers/app";
import { E2E } from "./helpers/env";

/**
 * The dashboard tools of issue 12 at 1440 and 375 px: the filter picker (is / is not), the share
 * dialog and the shared view's period control, the UTM link builder and the language switch.
 * No console error and no 4xx/5xx the UI did not ask for; screenshots go to e2e-artifacts/tools-*.
 */

const ART = "e2e-artifacts";
const WIDTHS = [1440, 375] as const;

test.beforeAll(async () => {
  test.setTimeout(900_000);
  mkdirSync(ART, { recursive: true });
  await ensureDemoData();
});

async function open(browser: Browser, width: number, lang: "uk" | "en", signedIn = true) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 800 : 900 } });
  if (signedIn) await signIn(context);
  await context.addCookies([{ name: "lang", value: lang, url: E2E.appUrl }]);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: E2E.appUrl });
  const page = await context.newPage();
  return { context, page, w: watch(page) };
}

function watch(page: Page) {
  const errors: string[] = [];
  const failed: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (r.url().startsWith(E2E.appUrl) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  return { errors, failed };
}

async function settled(page: Page): Promise<void> {
  await expect(page.locator("[data-block] [role=status]")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator("[data-pending=true]")).toHaveCount(0, { timeout: 60_000 });
}

for (const width of WIDTHS) {
  test(`filter picker: is / is not, suggestions with counts, chips remove values (${width} px)`, async ({ browser }) => {
    test.setTimeout(240_000);
    const { context, page, w } = await open(browser, width, "en");
    await page.goto("/dispatcher?period=all");
    await settled(page);

    // "Source is <the most visited source>": suggestions come from /api/utm/sources with counts.
    await page.getByTestId("filter-picker-open").click();
    const picker = page.getByTestId("filter-picker");
    await expect(picker).toBeVisible();
    await expect(picker.locator("[data-value]").first()).toBeVisible({ timeout: 30_000 });
    await expect(picker.locator("[data-value]").first()).toContainText("sessions");
    await page.screenshot({ path: `${ART}/tools-filter-picker-${width}.png` });
    const source = (await picker.locator("[data-value]").first().getAttribute("data-value"))!;
    await picker.locator("[data-value]").first().locator("input").check();
    await page.getByTestId("filter-picker-apply").click();
    await expect(page).toHaveURL(new RegExp(`utm_source=${encodeURIComponent(source)}`), { timeout: 60_000 });
    await expect(page.locator(`[data-chip=utm_source][data-chip-value="${source}"]`)).toContainText(`Source is ${source}`);
    await settled(page);

    // "Device is not mobile", typed into the search.
    await page.getByTestId("filter-picker-open").click();
    await page.getByTestId("filter-picker-dimension").selectOption("device");
    await page.getByTestId("filter-picker-is-not").click();
    await page.getByTestId("filter-picker-search").fill("mobile");
    await expect(page.getByTestId("filter-picker").locator('[data-value="mobile"]')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId("filter-picker").locator('[data-value="mobile"] input').check();
    await page.getByTestId("filter-picker-apply").click();
    await expect(page).toHaveURL(/not_device=mobile/, { timeout: 60_000 });
    const notChip = page.locator('[data-chip=device][data-negated="true"]');
    await expect(notChip).toContainText("Device is not mobile");
    await settled(page);
    await page.getByTestId("filter-bar").screenshot({ path: `${ART}/tools-filter-chips-${width}.png` });

    // Removing a chip removes only its value.
    await notChip.getByRole("button").click();
    await expect(page).not.toHaveURL(/not_device/, { timeout: 60_000 });
    await expect(page).toHaveURL(new RegExp(`utm_source=${encodeURIComponent(source)}`));
    await settled(page);
    expect(w.failed).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  });

  test(`share dialog and the shared view's narrower period (${width} px)`, async ({ browser }) => {
    test.setTimeout(240_000);
    const { context, page, w } = await open(browser, width, "en");
    await page.goto("/dispatcher?period=month&device=desktop");
    await settled(page);
    await page.getByTestId("share-view").click();
    const dialog = page.getByTestId("share-dialog");
    await expect(dialog).toBeVisible();
    await dialog.getByTestId("share-name").fill(`e2e ${width}`);
    await dialog.getByTestId("share-days").fill("3");
    await dialog.getByTestId("share-create").click();
    const url = (await dialog.getByTestId("share-created-url").textContent())!;
    expect(url).toMatch(new RegExp(`^${E2E.appUrl}/share/[^?]+\\?period=month&device=desktop$`));
    await dialog.getByTestId("share-copy").click();
    await expect(dialog.getByTestId("share-copy")).toContainText("Copied");
    await expect(dialog.locator("[data-share-id]")).toHaveCount(1);
    await dialog.screenshot({ path: `${ART}/tools-share-dialog-${width}.png` });

    // The recipient (no account) narrows the period inside the shared 30 days.
    const guest = await open(browser, width, "en", false);
    await guest.page.goto(url);
    await settled(guest.page);
    const period = guest.page.getByTestId("share-period");
    await expect(period).toBeVisible();
    const max = (await period.locator('input[type="date"]').last().getAttribute("max"))!;
    const from = new Date(Date.parse(`${max}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
    await period.locator('input[type="date"]').first().fill(from);
    await period.getByRole("button", { name: "Apply" }).click();
    await expect(guest.page).toHaveURL(new RegExp(`start_date=${from}&end_date=${max}`), { timeout: 60_000 });
    await settled(guest.page);
    await guest.page.getByTestId("share-tools").screenshot({ path: `${ART}/tools-share-period-${width}.png` });
    expect(guest.w.failed).toEqual([]);
    expect(guest.w.errors).toEqual([]);
    await guest.context.close();

    // Revoke from the dialog: the link is gone from this view's list.
    await dialog.getByTestId("share-revoke").click();
    await expect(dialog.locator("[data-share-id]")).toHaveCount(0);
    expect(w.failed).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  });

  test(`UTM link builder: naming rules, tagged URL, saved link never clicked (${width} px)`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page, w } = await open(browser, width, "en");
    await page.goto("/dispatcher");
    await page.getByRole("link", { name: "UTM links" }).click();
    await expect(page).toHaveURL(/\/dispatcher\/links/);
    const form = page.getByTestId("link-builder");
    await form.locator('input[name="base_url"]').fill("https://shop.example/sale?x=1");
    await form.locator('input[name="utm_source"]').fill("Newsletter");
    await expect(form.locator("[data-issue=utm_source]")).toContainText("lower case");
    await form.locator('input[name="utm_source"]').fill("newsletter");
    await form.locator('input[name="utm_medium"]').fill("email");
    const campaign = `e2e_never_${width}`;
    await form.locator('input[name="utm_campaign"]').fill(campaign);
    await expect(page.getByTestId("tagged-url")).toHaveText(`https://shop.example/sale?x=1&utm_source=newsletter&utm_medium=email&utm_campaign=${campaign}`);
    await page.getByTestId("save-link").click();
    const row = page.locator("[data-link-id]", { hasText: campaign });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row).toHaveAttribute("data-link-sessions", "0");
    await expect(row.locator("[data-never-clicked]")).toBeVisible();
    await page.screenshot({ path: `${ART}/tools-links-${width}.png`, fullPage: true });
    expect(w.failed).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  });

  test(`ROI what-if beside the real table, LTV top 5 with customer counts (${width} px)`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page, w } = await open(browser, width, "en");
    await page.goto("/dispatcher?period=year&spend=1000");
    await settled(page);
    const whatIf = page.getByTestId("roi-what-if");
    await expect(whatIf).toContainText("What-if calculator (hypothetical)");
    await expect(whatIf.locator("[data-what-if-spend]")).toHaveAttribute("data-what-if-spend", "1000");
    await page.locator("[data-block=roi]").screenshot({ path: `${ART}/tools-roi-${width}.png` });
    // LTV: at most five ranked rows, each with at least 5 customers (column 2).
    const ltv = page.locator("[data-block=ltv]");
    await expect(ltv.locator("[data-ltv-min-customers]")).toBeVisible();
    await ltv.screenshot({ path: `${ART}/tools-ltv-${width}.png` });
    expect(w.failed).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  });

  test(`language switch: <html lang>, localised numbers and names, sign-out page (${width} px)`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page, w } = await open(browser, width, "en");
    // 30 days: the demo data has a previous period, so the KPI cards show changes.
    await page.goto("/dispatcher?period=month");
    await settled(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByTestId("lang-switch").selectOption("uk");
    await expect(page.locator("html")).toHaveAttribute("lang", "uk");
    await expect(page.getByTestId("filter-picker-open")).toContainText("Додати фільтр", { timeout: 60_000 });
    await settled(page);
    // Ukrainian: country names from Intl.DisplayNames, changes with a decimal comma.
    await expect(page.locator("[data-block=geo]")).toContainText("Україна");
    const changes = await page.locator("[data-change]").allTextContents();
    expect(changes.some((c) => /\d,\d%/.test(c))).toBe(true);
    for (const change of changes) expect(change).not.toMatch(/\d\.\d/);
    await page.locator("[data-block=kpi]").screenshot({ path: `${ART}/tools-kpi-uk-${width}.png` });
    await page.goto("/sign-out");
    await expect(page.getByTestId("sign-out")).toContainText("Вийти з UTM Dispatcher?");
    await page.screenshot({ path: `${ART}/tools-sign-out-uk-${width}.png` });
    expect(w.failed).toEqual([]);
    expect(w.errors).toEqual([]);
    await context.close();
  });
}
