import { ingestBatch } from "@/lib/ingest/batch";
import { parseAnalyticsQuery, type AnalyticsQuery } from "@/lib/analytics/params";
import type { Db } from "@/lib/db/client";

/**
 * The hand-computable fixture of the session-scoped analytics tests, loaded through the real
 * ingestion path (so the facts on `sessions` are the ones ingestion keeps). March 2026, UTC.
 *
 *  id  visitor started (UTC)        source/campaign/content  country device  events                               orders (status)
 *  S1  v1      2026-03-02 10:00     google/spring/a          UA      desktop pv×3, product_view, add_to_cart, checkout_start  o1 100 paid, o1r 40 refunded
 *  S2  v1      2026-03-03 10:00     google/spring/b          UA      mobile  pv×1 (bounced)                       -
 *  S3  v2      2026-03-05 10:00     facebook/spring/a        PL      mobile  pv×2, product_view                   o2 200.50 paid, o3 50 paid placed 2026-04-10, o4 70 pending
 *  S4  v3      2026-03-10 10:00     (direct)/(none)/(none)   (none)  desktop no events (bounced)                  -
 *  S5  v2      2026-03-20 10:00     google/summer/(none)     PL      desktop pv×2, add_to_cart                    -
 *  S6  v4      2026-02-28 10:00     google/spring/a          UA      desktop pv×1 (before the range)              o5 999 paid
 *  bot vB      2026-03-04 10:00     google/spring/a          UA      Googlebot user agent: never stored
 */

export const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const S = { S1: id(1), S2: id(2), S3: id(3), S4: id(4), S5: id(5), S6: id(6), BOT: id(99) };

let ev = 1000;
const e = (session: string, type: string, at: string, n = 1) =>
  Array.from({ length: n }, (_, i) => ({
    id: id(ev++),
    session_id: session,
    type,
    occurred_at: new Date(Date.parse(at) + i * 1000).toISOString(),
    path: type === "page_view" ? `/p${i}` : undefined,
  }));

export async function loadFixture(db: Db): Promise<void> {
  const sess = (sid: string, visitor: string, at: string, dims: Record<string, string>) => ({
    id: sid,
    visitor_id: visitor,
    started_at: at,
    landing_url: "https://shop.example/landing",
    ...dims,
  });
  const chrome = { browser: "Chrome", os: "Windows" };
  await ingestBatch(db, {
    sessions: [
      sess(S.S1, "v1", "2026-03-02T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring", utm_content: "a", country: "UA", device: "desktop", ...chrome }),
      sess(S.S2, "v1", "2026-03-03T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring", utm_content: "b", country: "UA", device: "mobile", browser: "Safari", os: "iOS" }),
      sess(S.S3, "v2", "2026-03-05T10:00:00Z", { utm_source: "facebook", utm_medium: "paid", utm_campaign: "spring", utm_content: "a", country: "PL", device: "mobile", browser: "Chrome", os: "Android" }),
      sess(S.S4, "v3", "2026-03-10T10:00:00Z", { device: "desktop", browser: "Firefox", os: "Linux" }),
      sess(S.S5, "v2", "2026-03-20T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "summer", country: "PL", device: "desktop", ...chrome }),
      sess(S.S6, "v4", "2026-02-28T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "spring", utm_content: "a", country: "UA", device: "desktop", ...chrome }),
      {
        ...sess(S.BOT, "vB", "2026-03-04T10:00:00Z", { utm_source: "google", utm_campaign: "spring", utm_content: "a", country: "UA" }),
        user_agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      },
    ],
    events: [
      ...e(S.S1, "page_view", "2026-03-02T10:00:00Z", 3),
      ...e(S.S1, "product_view", "2026-03-02T10:01:00Z"),
      ...e(S.S1, "add_to_cart", "2026-03-02T10:02:00Z"),
      ...e(S.S1, "checkout_start", "2026-03-02T10:03:00Z"),
      ...e(S.S2, "page_view", "2026-03-03T10:00:00Z"),
      ...e(S.S3, "page_view", "2026-03-05T10:00:00Z", 2),
      ...e(S.S3, "product_view", "2026-03-05T10:01:00Z"),
      ...e(S.S5, "page_view", "2026-03-20T10:00:00Z", 2),
      ...e(S.S5, "add_to_cart", "2026-03-20T10:01:00Z"),
      ...e(S.S6, "page_view", "2026-02-28T10:00:00Z"),
    ],
    orders: [
      { order_id: "o1", session_id: S.S1, customer_id: "c1", total: 100, status: "paid", placed_at: "2026-03-02T10:05:00Z" },
      { order_id: "o1r", session_id: S.S1, customer_id: "c1", total: 40, status: "refunded", placed_at: "2026-03-02T10:06:00Z" },
      { order_id: "o2", session_id: S.S3, customer_id: "c2", total: 200.5, status: "paid", placed_at: "2026-03-05T10:05:00Z" },
      { order_id: "o3", session_id: S.S3, customer_id: "c2", total: 50, status: "paid", placed_at: "2026-04-10T10:00:00Z" },
      { order_id: "o4", session_id: S.S3, customer_id: "c2", total: 70, status: "pending", placed_at: "2026-03-05T10:06:00Z" },
      { order_id: "o5", session_id: S.S6, customer_id: "c4", total: 999, status: "paid", placed_at: "2026-02-28T10:05:00Z" },
    ],
  });
}

/** March 2026 in UTC, "today" 2026-04-15. */
export const NOW = new Date("2026-04-15T12:00:00Z");
export function march(extra: Record<string, string> = {}, tz = "UTC"): AnalyticsQuery {
  return parseAnalyticsQuery({ start_date: "2026-03-01", end_date: "2026-03-31", ...extra }, { tz, now: NOW });
}
