import type { Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";

/**
 * A small shop week for the report tests, stored through the real ingestion code (so the
 * maintained session and customer facts are right). Times are UTC; the suites run with
 * APP_TIMEZONE=UTC and "now" = Monday 2026-01-12 10:00Z, so the weekly report covers
 * 2026-01-05..2026-01-11 and compares it with 2025-12-29..2026-01-04.
 *
 * Current week (44 sessions, 43 visitors, 14 paid orders, revenue 290):
 *   s1  v1 google/cpc  winter/a  01-05  page_view, product_view, add_to_cart, checkout_start; order o1 100 (c1)
 *   s2  v2 google/cpc  winter/b  01-06  page_view
 *   s3  v3 facebook    brand     01-07  page_view, product_view; order o2 50 (c2)
 *   s4  v1 (direct)              01-10  page_view; order o3 30 (c1, a repeat purchase)
 *   x1..x20 spring/x  01-08  one page_view each; x1..x10 each an order of 10  (10/20 converted)
 *   y1..y20 spring/y  01-08  one page_view each; y1 an order of 10             (1/20 converted)
 * Previous week (2 sessions, 1 order, revenue 80):
 *   p1  v5 google  winter  01-01  order o4 80 (c3);   p2  v6 facebook  01-02
 * A refunded order o5 (100) on s2 counts nowhere.
 */

export const NOW = new Date("2026-01-12T10:00:00Z");
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

type S = { id: string; visitor_id: string; started_at: string; utm_source?: string; utm_medium?: string; utm_campaign?: string; utm_content?: string };
type E = { id: string; session_id: string; type: string; occurred_at: string };
type O = { order_id: string; customer_id: string; session_id: string; total: number; status?: string; placed_at: string };

export async function loadReportFixture(db: Db): Promise<void> {
  const sessions: S[] = [];
  const events: E[] = [];
  const orders: O[] = [];
  let eventN = 1000;
  const session = (n: number, visitor: string, at: string, utm: Partial<S>, types: string[] = ["page_view"]) => {
    sessions.push({ id: uuid(n), visitor_id: visitor, started_at: at, ...utm });
    types.forEach((type, i) => events.push({ id: uuid(eventN++), session_id: uuid(n), type, occurred_at: new Date(Date.parse(at) + i * 60_000).toISOString() }));
  };
  const order = (id: string, customer: string, n: number, total: number, at: string, status = "paid") =>
    orders.push({ order_id: id, customer_id: customer, session_id: uuid(n), total, status, placed_at: at });

  session(1, "v1", "2026-01-05T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "winter", utm_content: "a" }, ["page_view", "product_view", "add_to_cart", "checkout_start"]);
  order("o1", "c1", 1, 100, "2026-01-05T10:10:00Z");
  session(2, "v2", "2026-01-06T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "winter", utm_content: "b" });
  order("o5", "c9", 2, 100, "2026-01-06T10:05:00Z", "refunded");
  session(3, "v3", "2026-01-07T10:00:00Z", { utm_source: "facebook", utm_medium: "social", utm_campaign: "brand" }, ["page_view", "product_view"]);
  order("o2", "c2", 3, 50, "2026-01-07T10:05:00Z");
  session(4, "v1", "2026-01-10T10:00:00Z", {});
  order("o3", "c1", 4, 30, "2026-01-10T10:05:00Z");
  for (let i = 1; i <= 20; i++) {
    session(100 + i, `x${i}`, "2026-01-08T12:00:00Z", { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring", utm_content: "x" });
    if (i <= 10) order(`ox${i}`, `cx${i}`, 100 + i, 10, "2026-01-08T12:05:00Z");
    session(200 + i, `y${i}`, "2026-01-08T12:00:00Z", { utm_source: "newsletter", utm_medium: "email", utm_campaign: "spring", utm_content: "y" });
    if (i === 1) order(`oy${i}`, `cy${i}`, 200 + i, 10, "2026-01-08T12:05:00Z");
  }
  session(50, "v5", "2026-01-01T10:00:00Z", { utm_source: "google", utm_medium: "cpc", utm_campaign: "winter" });
  order("o4", "c3", 50, 80, "2026-01-01T10:05:00Z");
  session(51, "v6", "2026-01-02T10:00:00Z", { utm_source: "facebook", utm_medium: "social" });
  await ingestBatch(db, { sessions, events, orders });
}
