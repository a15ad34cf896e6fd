import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { ensureDemoData, signIn } from "./helpers/app";
import { withAppDb } from "./helpers/db";
import { E2E } from "./helpers/env";

/**
 * Watch for me (SPEC 20, docs/watch.md): annotations on the time-series chart (notes, an alert
 * incident, a first day of spend; hostile text shown as text), the realtime block refreshing
 * itself without a reload, saved views in the filter picker, and a share link scoped to one
 * source seeing only that source's annotations. Screenshots at 1440 and 375 px go to
 * docs/screenshots/.
 */

const SHOTS = "docs/screenshots";
const HOSTILE = `<img src=x onerror="window.__xss=1">`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Sessions with events in the last minutes (realtime), straight into the app's database. */
async function liveVisit(visitor: string, source: string, campaign: string, paths: string[], minutesAgo: number[]): Promise<void> {
  await withAppDb(async (sql) => {
    const id = randomUUID();
    await sql`insert into sessions (id, visitor_id, started_at, last_event_at, utm_source, utm_medium, utm_campaign, page_views, event_count)
              values (${id}, ${visitor}, ${ago(Math.max(...minutesAgo))}, ${ago(Math.min(...minutesAgo))}, ${source}, 'cpc', ${campaign}, ${paths.length}, ${paths.length})`;
    for (const [i, p] of paths.entries()) {
      await sql`insert into events (id, session_id, type, path, occurred_at) values (${randomUUID()}, ${id}, 'page_view', ${p}, ${ago(minutesAgo[i])})`;
    }
  });
}

async function shot(page: Page, name: string, selector: string) {
  // The sticky app header would cover the top of a scrolled-to block.
  await page.addStyleTag({ content: "header{position:static !important}" });
  await page.locator(selector).screenshot({ path: `${SHOTS}/${name}.png` });
}

test.describe.configure({ mode: "serial" });

test("annotations, realtime, saved views and a scoped share link", async ({ browser }) => {
  test.setTimeout(600_000);
  await ensureDemoData();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await signIn(context);
  const api = context.request;
  const write = { headers: { origin: E2E.appUrl, "content-type": "application/json" } };

  for (const note of [
    { date: day(-12), text: "Newsletter: spring collection" },
    { date: day(-8), text: "Google Ads budget +20%", utm_source: "google" },
    { date: day(-5), text: "Facebook retargeting paused", utm_source: "facebook" },
    { date: day(-2), text: HOSTILE },
  ]) {
    expect((await api.post("/api/utm/annotations", { ...write, data: note })).status()).toBe(201);
  }
  expect((await api.post("/api/utm/ad-spend", { ...write, data: [{ date: day(-10), utm_source: "google", utm_campaign: "watch_winter_sale", amount: 120 }] })).ok()).toBeTruthy();
  await withAppDb((sql) => sql`insert into alert_incidents (rule_id, metric, opened_at, summary) values (null, 'revenue', ${ago(3 * 1440)}, 'Revenue dropped 45% against the same hours of the last 4 weeks')`);
  await liveVisit(`rt-${randomUUID()}`, "google", "spring_sale", ["/", "/catalog/shoes", "/cart"], [24, 12, 3]);
  await liveVisit(`rt-${randomUUID()}`, "facebook", "retargeting", ["/catalog/shoes"], [6]);
  await liveVisit(`rt-${randomUUID()}`, "instagram", "stories", ["/", "/product/red-sneakers"], [18, 1]);

  const page = await context.newPage();
  await page.goto("/dispatcher?period=month");
  const chart = page.locator('[data-chart="timeseries"]');
  // The chart is drawn on the client after its box is measured: wait for the SVG, then its marks.
  await expect(chart.locator("svg").first()).toBeVisible({ timeout: 30_000 });
  await expect(chart.locator("[data-annotation-mark]")).not.toHaveCount(0);
  const list = page.getByTestId("annotations");
  await expect(list.getByText("Google Ads budget +20%")).toBeVisible();
  await expect(list.getByText("watch_winter_sale")).toBeVisible();
  await expect(list.getByText("Revenue dropped 45%", { exact: false })).toBeVisible();
  // Hostile text is shown as text and never becomes an element.
  await expect(list.getByText(HOSTILE)).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  const live = page.getByTestId("realtime");
  await expect(page.getByTestId("realtime-visitors")).not.toHaveText("0");
  const before = Number(await live.getAttribute("data-visitors"));
  expect(before).toBeGreaterThanOrEqual(3);
  await shot(page, "watch-chart-1440", "#block-timeseries");
  await shot(page, "watch-realtime-1440", "#block-realtime");

  // A new visitor appears within one poll (15 s), without reloading the page.
  await liveVisit(`rt-${randomUUID()}`, "e2e_live_probe", "ugc", ["/"], [0]);
  // Its source (no other visitor has it) shows up within one poll. The count is not compared
  // with before + 1: a visitor of the demo data may leave the 30-minute window meanwhile.
  await expect(live.getByText("e2e_live_probe")).toBeVisible({ timeout: 25_000 });
  expect(Number(await live.getAttribute("data-visitors"))).toBeGreaterThanOrEqual(1);

  // Saved views: save this view, go elsewhere, apply it back.
  await page.goto("/dispatcher?period=week&utm_source=google");
  await page.getByTestId("saved-views-open").click();
  await page.getByTestId("saved-view-name").fill("Google, last 7 days");
  await page.getByTestId("saved-view-save").click();
  await expect(page.getByTestId("saved-views").getByText("Google, last 7 days")).toBeVisible();
  await page.goto("/dispatcher?period=year");
  await page.getByTestId("saved-views-open").click();
  await page.getByTestId("saved-views").getByText("Google, last 7 days").click();
  await expect(page).toHaveURL(/period=week/);
  await expect(page).toHaveURL(/utm_source=google/);
  await expect(page).not.toHaveURL(/period=year/);

  // Phone width.
  const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 });
  await phone.addCookies(await context.cookies());
  const small = await phone.newPage();
  await small.goto("/dispatcher?period=month");
  await expect(small.locator('[data-chart="timeseries"] svg').first()).toBeVisible({ timeout: 30_000 });
  await expect(small.locator('[data-chart="timeseries"] [data-annotation-mark]')).not.toHaveCount(0);
  await expect(small.getByTestId("realtime")).toBeVisible();
  await shot(small, "watch-chart-375", "#block-timeseries");
  await shot(small, "watch-realtime-375", "#block-realtime");
  await phone.close();

  // A share link scoped to google: its note and the global ones, never facebook's, no incident.
  const created = await api.post("/api/settings/share-links", { ...write, data: { params: "period=month&utm_source=google" } });
  expect(created.status()).toBe(201);
  const { url } = (await created.json()) as { url: string };
  const anon = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const shared = await anon.newPage();
  await shared.goto(url);
  const sharedList = shared.getByTestId("annotations");
  await expect(sharedList.getByText("Google Ads budget +20%")).toBeVisible();
  await expect(sharedList.getByText("Newsletter: spring collection")).toBeVisible();
  await expect(sharedList.getByText("Facebook retargeting paused")).toHaveCount(0);
  await expect(sharedList.getByText("Revenue dropped 45%", { exact: false })).toHaveCount(0);
  await expect(shared.getByTestId("realtime").getByText("facebook")).toHaveCount(0);
  await expect(shared.getByTestId("annotation-add")).toHaveCount(0);
  await anon.close();
  await context.close();
});
