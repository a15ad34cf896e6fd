import { expect, test } from "@playwright/test";
import { ensureDemoData, signIn } from "./helpers/app";
import { E2E } from "./helpers/env";

/**
 * The time series' partial FIRST bucket (issue 12): a range that starts on a Wednesday with weekly
 * buckets draws its first week dashed, and that bucket's tooltip says "partial period" and opens
 * inside the screen (at 1440 and 375 px). Screenshots: e2e-artifacts/partial-first-<width>.png.
 */

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A Wednesday about 120 days back (weekly buckets: over 92 days) to yesterday, in UTC (the e2e app's zone). */
function wednesdayRange(): { start: string; end: string } {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let start = today - 120 * DAY;
  while (new Date(start).getUTCDay() !== 3) start -= DAY;
  return { start: iso(start), end: iso(today - DAY) };
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await ensureDemoData();
});

for (const width of [1440, 375]) {
  test(`the first week of a range starting on a Wednesday is drawn and called partial at ${width}px`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await signIn(context);
    await context.addCookies([{ name: "lang", value: "en", url: E2E.appUrl }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    const { start, end } = wednesdayRange();
    await page.goto(`/dispatcher?start_date=${start}&end_date=${end}`);
    const chart = page.locator("[data-chart=timeseries]");
    await expect(chart).toHaveAttribute("data-interval", "week", { timeout: 60_000 });
    await expect(chart).toHaveAttribute("data-partial-first", "true");
    const head = chart.locator("path[data-series=partial-first]");
    await expect(head).toHaveAttribute("stroke-dasharray", "6 5");
    await page.addStyleTag({ content: "header.sticky { position: static !important; }" });
    await chart.scrollIntoViewIfNeeded();

    // The first bucket sits on the plot's left edge (margin 44 px for counts); its slice runs right from there.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + 44 + 3, box.y + 120);
    const tip = page.locator("[data-chart-tooltip]");
    await expect(tip).toContainText("(partial period)");
    const tipBox = (await tip.boundingBox())!;
    expect(tipBox.x).toBeGreaterThanOrEqual(0);
    expect(tipBox.x + tipBox.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `e2e-artifacts/partial-first-${width}.png` });

    // The second week is whole: no "partial" in its tooltip.
    const pts = Number(await chart.getAttribute("data-points"));
    await page.mouse.move(box.x + 44 + (box.width - 44 - 16) / (pts - 1) + 3, box.y + 120);
    await expect(tip).not.toContainText("partial");
    expect(errors).toEqual([]);
    await context.close();
  });
}
