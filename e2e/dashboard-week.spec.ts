import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { cli, ensureDemoData, signIn } from "./helpers/app";
import { withAppDb } from "./helpers/db";
import { E2E } from "./helpers/env";

/**
 * A marketer's week on the dashboard (issue 12) at 1440 and 375 px: every preset, tab and compare
 * mode, the pending state while the server's answer is held back, the empty-range state, the
 * partial first week of a range starting mid-week, and a screenshot of each block at both widths
 * (e2e-artifacts/week-<width>-<block>.png). No console error and no 4xx/5xx anywhere.
 */

const ART = "e2e-artifacts";
const WIDTHS = [1440, 375] as const;
const PRESETS = ["today", "yesterday", "7d", "30d", "90d", "365d", "this_month", "last_month", "this_year", "all"];
const TABS: Record<string, string[]> = {
  acquisition: ["sources", "mediums", "campaigns", "content", "terms"],
  pages: ["landing_pages", "referrers"],
  tech: ["devices", "browsers", "os"],
};

test.beforeAll(async () => {
  test.setTimeout(900_000);
  mkdirSync(ART, { recursive: true });
  await ensureDemoData();
});

async function open(browser: Browser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await signIn(context);
  await context.addCookies([{ name: "lang", value: "en", url: E2E.appUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (r.url().startsWith(E2E.appUrl) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, errors, failed };
}

const DAY = 86_400_000;
/** A Wednesday about 120 days back (weekly buckets: over 92 days) to yesterday, in UTC (the e2e app's zone). */
function wednesdayRange(): { start: string; end: string } {
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let start = today - 120 * DAY;
  while (new Date(start).getUTCDay() !== 3) start -= DAY;
  return { start: iso(start), end: iso(today - DAY) };
}

/** A block's screenshot without the sticky app header drawn over it. */
const NO_STICKY = "header.sticky { position: static !important; }";

/** Every block has streamed in and no change is pending. */
async function settled(page: Page): Promise<void> {
  await expect(page.locator("[data-block] [role=status]")).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator("[data-pending=true]")).toHaveCount(0, { timeout: 60_000 });
}

for (const width of WIDTHS) {
  test(`dashboard week at ${width}px: presets, tabs, compare, screenshots`, async ({ browser }) => {
    test.setTimeout(600_000);
    const { context, page, errors, failed } = await open(browser, width);
    await page.goto("/dispatcher");
    await settled(page);

    // Nothing wider than the screen except inside its own horizontal scroller.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // KPI figures are whole (no ellipsis, nothing cut off).
    for (const v of await page.locator("[data-kpi-value]").all()) {
      const cut = await v.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut).toBe(false);
    }
    // The total row of the acquisition table is visible without an inner scroll.
    await expect(page.locator("[data-block=acquisition] [data-total-row]")).toBeVisible();

    for (const el of await page.locator("[data-block]").all()) {
      const id = await el.getAttribute("data-block");
      await el.scrollIntoViewIfNeeded();
      await el.screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-${id}.png` });
    }
    await page.getByTestId("filter-bar").screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-filter-bar.png` });

    // Every preset: highlighted once its view has arrived; the chart and KPIs render.
    for (const p of PRESETS) {
      await page.locator(`[data-preset="${p}"]`).click();
      await expect(page.locator(`[data-preset="${p}"]`)).toHaveAttribute("aria-pressed", "true");
      await settled(page);
      await expect(page.locator(`[data-preset="${p}"]`)).toHaveAttribute("aria-pressed", "true");
      await expect(page.locator("[data-block=kpi] [data-kpi]").first()).toBeVisible();
      if (p === "today") await expect(page.locator("[data-chart=timeseries]")).toHaveAttribute("data-interval", "hour");
    }
    await page.locator("[data-block=timeseries]").screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-timeseries-all.png` });

    // 30 days again, then every tab of every tabbed card (the tab goes into the URL).
    await page.locator('[data-preset="30d"]').click();
    await settled(page);
    for (const [group, tabs] of Object.entries(TABS)) {
      for (const tab of tabs) {
        await page.locator(`[data-tabs=${group}] [data-tab=${tab}]`).click();
        await expect(page.locator(`[data-tabs=${group}] [data-tab=${tab}]`)).toHaveAttribute("aria-current", "true");
        await settled(page);
        await page.locator(`[data-block=${group}]`).screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-${group}-${tab}.png` });
      }
    }
    await expect(page).toHaveURL(/tab_tech=os/);

    // Compare: previous period, then the same dates last year: a second (previous) line on the chart.
    for (const mode of ["previous_period", "previous_year"]) {
      await page.getByTestId("compare-mode").selectOption(mode);
      // The URL changes when the new view commits (end of the transition); a loaded machine is slow.
      await expect(page).toHaveURL(new RegExp(`compare=${mode}`), { timeout: 60_000 });
      await settled(page);
      await expect(page.locator("[data-chart=timeseries] path[data-series=previous]")).toHaveCount(1);
    }
    await page.locator("[data-block=timeseries]").screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-timeseries-compare.png` });
    await page.locator("[data-block=kpi]").screenshot({ style: NO_STICKY, path: `${ART}/week-${width}-kpi-compare.png` });

    // A range from a Wednesday (weekly buckets): its first week is drawn dashed, and that bucket's
    // tooltip says "partial period" and opens inside the screen; the second week's does not.
    const { start, end } = wednesdayRange();
    await page.goto(`/dispatcher?start_date=${start}&end_date=${end}`);
    await settled(page);
    const chart = page.locator("[data-chart=timeseries]");
    await expect(chart).toHaveAttribute("data-interval", "week");
    await expect(chart).toHaveAttribute("data-partial-first", "true");
    await expect(chart.locator("path[data-series=partial-first]")).toHaveAttribute("stroke-dasharray", "6 5");
    await page.addStyleTag({ content: NO_STICKY });
    await chart.scrollIntoViewIfNeeded();
    // The first bucket sits on the plot's left edge (a 44 px margin for counts); its slice runs right from there.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + 44 + 3, box.y + 120);
    const tip = page.locator("[data-chart-tooltip]");
    await expect(tip).toContainText("(partial period)");
    const tipBox = (await tip.boundingBox())!;
    expect(tipBox.x).toBeGreaterThanOrEqual(0);
    expect(tipBox.x + tipBox.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${ART}/week-${width}-timeseries-partial-first.png` });
    const points = Number(await chart.getAttribute("data-points"));
    await page.mouse.move(box.x + 44 + (box.width - 44 - 16) / (points - 1) + 3, box.y + 120);
    await expect(tip).not.toContainText("partial");

    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("pending state shows within 100 ms, before the held-back answer arrives", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page, errors, failed } = await open(browser, 1440);
  await page.goto("/dispatcher?period=month");
  await settled(page);
  // The charts' @nivo chunks load and draw after hydration (lazy, smaller first load): the
  // promise is about a settled page, so wait until they are fetched and the main thread idles.
  // (A click while they still draw shows the pending state after ~0.4-0.6 s: see the closing note.)
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => new Promise((r) => requestIdleCallback(() => requestIdleCallback(() => r(null), { timeout: 5000 }), { timeout: 5000 })));
  const before = await page.locator("[data-block=kpi] [data-kpi-value]").first().textContent();

  // Hold the server's answer to this navigation (its RSC request for period=year) back for 2 s;
  // prefetches of other links pass untouched. `answered`: when that answer reached the browser.
  let released = 0;
  let answered = 0;
  page.on("response", (r) => {
    if (r.request().headers()["rsc"] === "1" && new URL(r.url()).searchParams.get("period") === "year") answered ||= Date.now();
  });
  // In the page: when the click happened and when the first dimmed block appeared (same clock).
  await page.evaluate(() => {
    const w = window as unknown as { clickAt?: number; pendingAt?: number; clearedAt?: number };
    document.addEventListener("click", () => (w.clickAt ??= Date.now()), { capture: true });
    new MutationObserver(() => {
      const on = !!document.querySelector("[data-block] [data-pending=true]");
      if (w.pendingAt === undefined && on) w.pendingAt = Date.now();
      // The first moment the dimming went away again: only once the new view is there.
      if (w.pendingAt !== undefined && w.clearedAt === undefined && !on) w.clearedAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const held = (url: URL) => url.pathname === "/dispatcher" && url.searchParams.get("period") === "year";
  await page.route(
    held,
    async (route) => {
      if (route.request().headers()["rsc"] === "1") {
        await new Promise((r) => setTimeout(r, 2000));
        released = Date.now();
      }
      await route.continue();
    },
  );
  await page.locator('[data-preset="365d"]').click({ noWaitAfter: true });
  // Within 100 ms: the blocks dim (data-pending), the button and the bar say so.
  await expect(page.locator("[data-block=kpi] [data-pending=true]")).toBeVisible({ timeout: 100 });
  await expect(page.locator("[data-block=timeseries] [data-pending=true]")).toBeVisible({ timeout: 100 });
  await expect(page.locator('[data-preset="365d"]')).toHaveAttribute("data-pending", "true", { timeout: 100 });
  await expect(page.getByTestId("pending-status")).toBeVisible({ timeout: 100 });
  const t = await page.evaluate(() => {
    const w = window as unknown as { clickAt: number; pendingAt: number };
    return { clickAt: w.clickAt, pendingAt: w.pendingAt };
  });
  const shownAfter = t.pendingAt - t.clickAt;
  expect(shownAfter).toBeLessThan(100);
  // Shown before the server's answer arrived (it is held back 2 s, then rendered).
  expect(answered === 0 || t.pendingAt < answered).toBe(true);
  // The old figure is on screen only dimmed (aria-busy), never as current.
  await expect(page.locator("[data-block=kpi] [aria-busy=true]")).toBeVisible();
  await page.locator("[data-block=kpi]").screenshot({ style: NO_STICKY, path: `${ART}/week-1440-kpi-pending.png` });

  // Then the new view arrives: nothing pending, 365 days highlighted, the URL says period=year.
  await settled(page);
  expect(released).toBeGreaterThan(0);
  expect(answered).toBeGreaterThan(t.pendingAt);
  // The blocks stayed dimmed the whole time: they cleared only after the held answer was let go.
  const clearedAt = await page.evaluate(() => (window as unknown as { clearedAt?: number }).clearedAt ?? 0);
  expect(clearedAt).toBeGreaterThanOrEqual(released);
  await expect(page).toHaveURL(/period=year/, { timeout: 60_000 });
  await expect(page.locator('[data-preset="365d"]')).toHaveAttribute("aria-pressed", "true");
  const after = await page.locator("[data-block=kpi] [data-kpi-value]").first().textContent();
  console.log(`pending shown ${shownAfter} ms after the click; sessions ${before} → ${after}`);

  // A tab change dims only its own card.
  await page.locator("[data-tabs=acquisition] [data-tab=mediums]").click();
  await expect(page.locator("[data-block=acquisition] [data-pending=true]")).toBeVisible({ timeout: 100 });
  await expect(page.locator("[data-block=kpi] [data-pending=true]")).toHaveCount(0);
  await settled(page);
  await page.unroute(held);

  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test("empty range: says so and offers all time", async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page, errors, failed } = await open(browser, 375);
  await page.goto("/dispatcher?start_date=2001-01-01&end_date=2001-01-31");
  await settled(page);
  const notice = page.locator("[data-empty=range]");
  await expect(notice).toBeVisible();
  await notice.screenshot({ style: NO_STICKY, path: `${ART}/week-375-empty-range.png` });
  await notice.getByRole("link").click();
  await expect(page).toHaveURL(/period=all/, { timeout: 60_000 });
  await settled(page);
  await expect(page.locator("[data-empty=range]")).toHaveCount(0);
  await expect(page.locator('[data-preset="all"]')).toHaveAttribute("aria-pressed", "true");
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
