import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { withAppDb } from "./helpers/db";
import { DESKTOP_CHROME_UA, E2E } from "./helpers/env";
import { startShop } from "./helpers/shop-server";
import { createApiToken } from "./helpers/tokens";
import { TRACK_EXAMPLE } from "../lib/tracker/snippet";

/**
 * The acceptance path of the tracker (SPEC 2.1–2.3, 3.3): a shop on another origin embeds
 * /t.js, a visitor arrives from a Facebook ad, adds to cart, moves on SPA-style, and the shop's
 * backend reports the order with the visitor id it reads from its own cookie. The app must hold
 * the session with its UTM tags and device facts, its events in order, and the order attributed
 * to it.
 */

test.use({ userAgent: DESKTOP_CHROME_UA });

type SessionRow = {
  id: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  device: string;
  browser: string;
  os: string;
  landing_url: string;
  page_views: number;
  event_count: number;
  paid_orders: number;
  revenue: number;
};

test("a visit from a UTM-tagged link is tracked from a second origin and the order is attributed to it", async ({ page, context }) => {
  const ingestToken = createApiToken(`e2e-tracker-${Date.now()}`, ["read", "ingest"]);
  const orderId = `e2e-order-${Date.now()}`;
  const shop = await startShop({
    port: E2E.shopPort,
    trackerSrc: `${E2E.appUrl}/t.js`,
    onCheckout: async (visitorId) => {
      const res = await fetch(`${E2E.appUrl}/api/ingest/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingestToken}`, "content-type": "application/json" },
        body: JSON.stringify({ order_id: orderId, visitor_id: visitorId, total: 1299.5, currency: "UAH", items: 1 }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    },
  });

  try {
    const eventsOf = (visitorId: string) =>
      withAppDb((sql) =>
        sql<{ type: string; path: string | null; properties: unknown }[]>`
          select e.type::text as type, e.path::text as path, e.properties
          from events e join sessions s on s.id = e.session_id
          where s.visitor_id = ${visitorId}
          order by e.occurred_at, e.id`,
      );

    await page.goto(`${shop.url}/?utm_source=Facebook&utm_campaign=spring_sale&utm_content=video_a`);
    await page.waitForFunction(() => typeof (window as { utmd?: { visitorId?: string } }).utmd?.visitorId === "string");

    // The visitor id, read as the shop would: window.utmd and the first-party cookie agree.
    const fromWindow = await page.evaluate(() => (window as unknown as { utmd: { visitorId: string } }).utmd.visitorId);
    const cookie = (await context.cookies(shop.url)).find((c) => c.name === "utmd_vid");
    expect(fromWindow).toMatch(/^[0-9a-f-]{36}$/);
    expect(cookie?.value).toBe(fromWindow);
    // One year: 365 × 86,400 s from now (a minute of slack for the test's own run time).
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 31_536_000 - 60);
    const visitorId = fromWindow;

    // Each step waits until the app has stored the previous event, so server-side order is the
    // order of the visitor's actions.
    await expect.poll(async () => (await eventsOf(visitorId)).length).toBe(1);
    await page.click("#add-to-cart");
    await expect.poll(async () => (await eventsOf(visitorId)).length).toBe(2);
    await page.click("#go-cart");
    await expect(page).toHaveURL(`${shop.url}/cart`);
    await expect.poll(async () => (await eventsOf(visitorId)).length).toBe(3);

    // The shop's backend places the order with the visitor id from its cookie.
    await page.click("#checkout");
    await expect(page.locator("#result")).not.toBeEmpty();
    const checkout = JSON.parse(await page.locator("#result").innerText()) as {
      status: number;
      body: { orders: { order_id: string; session_id: string | null; utm_source: string | null; created: boolean }[] };
    };
    expect(checkout.status).toBe(200);

    const events = await eventsOf(visitorId);
    expect(events.map((e) => e.type)).toEqual(["page_view", "add_to_cart", "page_view"]);
    expect(events.map((e) => e.path)).toEqual(["/", "/", "/cart"]);
    expect(events[1].properties).toEqual({ sku: "A1" });

    const { sessions, orders } = await withAppDb(async (sql) => ({
      sessions: await sql<SessionRow[]>`
        select id::text as id, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
               device::text as device, browser, os, landing_url, page_views, event_count,
               paid_orders, revenue::float8 as revenue
        from sessions where visitor_id = ${visitorId}`,
      orders: await sql<{ order_id: string; session_id: string | null; visitor_id: string; status: string; total: number; customer_id: string }[]>`
        select order_id::text as order_id, session_id::text as session_id, visitor_id::text as visitor_id,
               status::text as status, total::float8 as total, customer_id::text as customer_id
        from orders where order_id = ${orderId}`,
    }));

    expect(sessions).toHaveLength(1);
    const s = sessions[0];
    expect(s).toMatchObject({
      utm_source: "facebook", // lower-cased from "Facebook" (SPEC 3.1)
      utm_medium: "(none)",
      utm_campaign: "spring_sale",
      utm_content: "video_a",
      utm_term: "(none)",
      device: "desktop",
      os: "Linux",
      page_views: 2,
      event_count: 3,
      paid_orders: 1,
      revenue: 1299.5,
    });
    expect(s.browser).toMatch(/^Chrom(e|ium)$/);
    expect(s.landing_url).toBe(`${shop.url}/?utm_source=Facebook&utm_campaign=spring_sale&utm_content=video_a`);

    expect(checkout.body.orders).toEqual([{ order_id: orderId, session_id: s.id, utm_source: "facebook", created: true }]);
    expect(orders).toEqual([
      { order_id: orderId, session_id: s.id, visitor_id: visitorId, status: "paid", total: 1299.5, customer_id: `visitor:${visitorId}` },
    ]);
  } finally {
    await shop.close();
  }
});

test("GET /t.js is cacheable, cross-origin JavaScript under 2 KB gzipped", async ({ request }) => {
  const res = await request.get(`${E2E.appUrl}/t.js`, { headers: { "accept-encoding": "identity" } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/javascript; charset=utf-8");
  expect(res.headers()["cache-control"]).toBe("public, max-age=3600");
  expect(res.headers()["access-control-allow-origin"]).toBe("*");
  const body = await res.body();
  const plain = res.headers()["content-encoding"] === "gzip" ? gunzipSync(body) : body;
  expect(plain.toString("utf8")).toContain("utmd_vid");
  expect(gzipSync(plain, { level: 9 }).length).toBeLessThan(2048);
});

/** The README's tracker snippet as written, between its markers (without the code fence). */
function readmeSnippet(): string {
  // Playwright runs from the repository root.
  const readme = readFileSync("README.md", "utf8");
  const m = /<!-- tracker-snippet:start -->\n```html\n([\s\S]*?)\n```\n<!-- tracker-snippet:end -->/.exec(readme);
  if (!m) throw new Error("README.md has no tracker-snippet markers");
  return m[1];
}

test("the README snippet, as written, keeps a track() call made before t.js has loaded and sends it after the page view", async ({ page }) => {
  const snippet = readmeSnippet();
  // The snippet sends page views only; the product page adds its own call (TRACK_EXAMPLE) right after it.
  expect(snippet).not.toContain("utmd.track(");
  const shop = await startShop({
    port: E2E.shopPort,
    trackerSrc: `${E2E.appUrl}/t.js`,
    head: snippet.replaceAll("https://YOUR-APP", E2E.appUrl) + "\n" + TRACK_EXAMPLE,
    onCheckout: async () => ({}),
  });
  try {
    // t.js arrives 1.5 s late, so the snippet's call certainly runs before it has loaded.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await page.route(`${E2E.appUrl}/t.js`, async (route) => {
      await released;
      await route.continue();
    });
    const sentTypes: string[] = [];
    page.on("request", (req) => {
      if (req.url() === `${E2E.appUrl}/api/collect` && req.method() === "POST") {
        sentTypes.push((JSON.parse(req.postData() ?? "{}") as { type?: string }).type ?? "?");
      }
    });

    await page.goto(`${shop.url}/p/a1?utm_source=newsletter`, { waitUntil: "domcontentloaded" });
    // Before load: the stub holds the call.
    expect(await page.evaluate(() => (window as unknown as { utmd: { q?: unknown[] } }).utmd.q?.length)).toBe(1);
    setTimeout(release, 1500);
    await page.waitForFunction(() => typeof (window as { utmd?: { visitorId?: string } }).utmd?.visitorId === "string");
    const visitorId = await page.evaluate(() => (window as unknown as { utmd: { visitorId: string; q?: unknown } }).utmd.visitorId);
    // The stub was replaced by the real API.
    expect(await page.evaluate(() => "q" in (window as unknown as { utmd: object }).utmd)).toBe(false);

    const stored = () =>
      withAppDb((sql) =>
        sql<{ type: string; path: string; properties: unknown; at: string }[]>`
          select e.type::text as type, e.path::text as path, e.properties, e.occurred_at::text as at
          from events e join sessions s on s.id = e.session_id
          where s.visitor_id = ${visitorId}
          order by e.occurred_at, e.type desc`,
      );
    await expect.poll(async () => (await stored()).length).toBe(2);
    // Sent in order by the browser: the page view first, then the queued product view.
    expect(sentTypes).toEqual(["page_view", "product_view"]);
    const events = await stored();
    // Stored in that order (occurred_at is the arrival time; equal times sort page_view first).
    expect(events.map((e) => [e.type, e.path, e.properties ?? null])).toEqual([
      ["page_view", "/p/a1", null],
      ["product_view", "/p/a1", { sku: "A1" }],
    ]);
    const [session] = await withAppDb(
      (sql) => sql<{ utm_source: string; event_count: number; funnel_step: number }[]>`
        select utm_source, event_count, funnel_step::int as funnel_step from sessions where visitor_id = ${visitorId}`,
    );
    // product_view is funnel step 1 (SPEC 3.1); both events counted on the session.
    expect(session).toEqual({ utm_source: "newsletter", event_count: 2, funnel_step: 1 });
  } finally {
    await shop.close();
  }
});
