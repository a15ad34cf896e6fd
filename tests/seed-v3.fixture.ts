import type { Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";

/**
 * Small hand-made fixtures of the customer analytics tests (cohorts, LTV, repeat rate, A/B),
 * loaded through the batch ingestion so the maintained facts (customers, session conversions)
 * are built by the production code, exactly as for real data.
 */

type SessionIn = {
  id: string;
  visitor_id: string;
  started_at: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_content?: string;
  country?: string;
  device?: string;
};
type OrderIn = {
  order_id: string;
  customer_id: string;
  session_id?: string;
  total: number;
  status?: "paid" | "pending" | "refunded" | "cancelled";
  placed_at: string;
};

export async function load(db: Db, sessions: SessionIn[], orders: OrderIn[]): Promise<void> {
  await ingestBatch(db, { sessions, events: [], orders });
}

/** A valid v4-shaped uuid from a small number (fixtures only). */
export function uid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/**
 * The main fixture (UTC instants), used with the range 2025-01-06 .. 2025-01-19 (two ISO weeks,
 * W1 = Mon 01-06..Sun 01-12 and W2 = Mon 01-13..Sun 01-19) and "now" 2025-03-05 12:00 UTC:
 *
 *   customer  acquisition        paid orders (placed_at UTC, total)                 other orders
 *   c1        S1 google/cpc      01-07 10:00 100 · 01-15 16:00 50 · 02-03 10:00 30
 *   c2        unattributed       01-10 12:00 200                                     01-14 refunded 70, 01-21 pending 90
 *   c3        S3 google/cpc      01-14 09:00 80 · 01-16 21:00 20 · 01-27 09:00 40
 *   c4        S4 bing/organic    01-02 12:00 60 · 01-08 00:00 60                      (first order before the range)
 *   c5        S5 google/cpc      01-20 10:00 500                                     (first order after the range)
 *   c6        —                  none                                                01-08 refunded 999 (not a customer)
 */
export const MAIN_NOW = new Date("2025-03-05T12:00:00Z");
export const MAIN_RANGE = { start_date: "2025-01-06", end_date: "2025-01-19" };

export async function loadMainFixture(db: Db): Promise<void> {
  await load(
    db,
    [
      { id: uid(1), visitor_id: "v1", started_at: "2025-01-07T09:50:00Z", utm_source: "google", utm_medium: "cpc", country: "UA", device: "desktop" },
      { id: uid(3), visitor_id: "v3", started_at: "2025-01-14T08:50:00Z", utm_source: "google", utm_medium: "cpc", country: "PL", device: "mobile" },
      { id: uid(4), visitor_id: "v4", started_at: "2025-01-02T11:50:00Z", utm_source: "bing", utm_medium: "organic", country: "UA", device: "mobile" },
      { id: uid(5), visitor_id: "v5", started_at: "2025-01-20T09:55:00Z", utm_source: "google", utm_medium: "cpc", country: "UA", device: "desktop" },
    ],
    [
      { order_id: "o1a", customer_id: "c1", session_id: uid(1), total: 100, placed_at: "2025-01-07T10:00:00Z" },
      { order_id: "o1b", customer_id: "c1", total: 50, placed_at: "2025-01-15T16:00:00Z" },
      { order_id: "o1c", customer_id: "c1", total: 30, placed_at: "2025-02-03T10:00:00Z" },
      { order_id: "o2a", customer_id: "c2", total: 200, placed_at: "2025-01-10T12:00:00Z" },
      { order_id: "o2b", customer_id: "c2", total: 70, status: "refunded", placed_at: "2025-01-14T12:00:00Z" },
      { order_id: "o2c", customer_id: "c2", total: 90, status: "pending", placed_at: "2025-01-21T12:00:00Z" },
      { order_id: "o3a", customer_id: "c3", session_id: uid(3), total: 80, placed_at: "2025-01-14T09:00:00Z" },
      { order_id: "o3b", customer_id: "c3", total: 20, placed_at: "2025-01-16T21:00:00Z" },
      { order_id: "o3c", customer_id: "c3", total: 40, placed_at: "2025-01-27T09:00:00Z" },
      { order_id: "o4a", customer_id: "c4", session_id: uid(4), total: 60, placed_at: "2025-01-02T12:00:00Z" },
      { order_id: "o4b", customer_id: "c4", total: 60, placed_at: "2025-01-08T00:00:00Z" },
      { order_id: "o5a", customer_id: "c5", session_id: uid(5), total: 500, placed_at: "2025-01-20T10:00:00Z" },
      { order_id: "o6a", customer_id: "c6", total: 999, status: "refunded", placed_at: "2025-01-08T10:00:00Z" },
    ],
  );
}

const DAY = 86_400_000;

/**
 * A fixture relative to `now` (for `period=` queries and endpoint tests, whose "today" is real):
 *   r1  google    paid now−20 d 100, now−5 d 60       (first order in the last 30 days, not the last 7)
 *   r2  facebook  paid now−3 d 90                      (in both)
 *   r3  google    paid now−60 d 40, now−2 d 30         (first order before the last 30 days)
 *   r4  —         refunded now−1 d 500                 (not a customer)
 */
export async function loadRelativeFixture(db: Db, now: Date): Promise<void> {
  const at = (days: number, minutes = 0) => new Date(now.getTime() - days * DAY + minutes * 60_000).toISOString();
  await load(
    db,
    [
      { id: uid(101), visitor_id: "rv1", started_at: at(20, -10), utm_source: "google", utm_medium: "cpc" },
      { id: uid(102), visitor_id: "rv2", started_at: at(3, -10), utm_source: "facebook", utm_medium: "social" },
      { id: uid(103), visitor_id: "rv3", started_at: at(60, -10), utm_source: "google", utm_medium: "cpc" },
    ],
    [
      { order_id: "r1a", customer_id: "r1", session_id: uid(101), total: 100, placed_at: at(20) },
      { order_id: "r1b", customer_id: "r1", total: 60, placed_at: at(5) },
      { order_id: "r2a", customer_id: "r2", session_id: uid(102), total: 90, placed_at: at(3) },
      { order_id: "r3a", customer_id: "r3", session_id: uid(103), total: 40, placed_at: at(60) },
      { order_id: "r3b", customer_id: "r3", total: 30, placed_at: at(2) },
      { order_id: "r4a", customer_id: "r4", total: 500, status: "refunded", placed_at: at(1) },
    ],
  );
}

/**
 * An A/B fixture for campaign `campaign`, its sessions started at `base` + i minutes:
 *   content A:       10 sessions; 3 converted: one with two paid orders (100 + 20), two with one (50, 30)
 *                    → conversions 3, orders 4, revenue 200
 *   content B:        8 sessions; 1 converted (40); another has only a refunded order (70)
 *   content unset:    2 sessions, no orders ("(none)")
 * plus 3 sessions of campaign "other" (content A, one converted) and one campaign session with
 * content A a year before `base`, which a range around `base` leaves out.
 */
export async function loadAbFixture(db: Db, campaign: string, base: Date): Promise<void> {
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000).toISOString();
  const sessions: SessionIn[] = [];
  const orders: OrderIn[] = [];
  let n = 1000;
  const add = (content: string | undefined, camp: string, startedAt: string) => {
    const id = uid(++n);
    sessions.push({ id, visitor_id: `ab${n}`, started_at: startedAt, utm_source: "facebook", utm_medium: "cpc", utm_campaign: camp, utm_content: content });
    return id;
  };
  const a = Array.from({ length: 10 }, (_, i) => add("A", campaign, at(i)));
  const b = Array.from({ length: 8 }, (_, i) => add("B", campaign, at(20 + i)));
  add(undefined, campaign, at(40));
  add(undefined, campaign, at(41));
  const other = Array.from({ length: 3 }, (_, i) => add("A", "other", at(50 + i)));
  const old = add("A", campaign, new Date(base.getTime() - 365 * DAY).toISOString());
  const order = (id: string, session: string, total: number, minutes: number, status: OrderIn["status"] = "paid") =>
    orders.push({ order_id: id, customer_id: `cust-${id}`, session_id: session, total, status, placed_at: at(minutes) });
  order("ab-a1", a[0], 100, 60);
  order("ab-a1b", a[0], 20, 61);
  order("ab-a2", a[1], 50, 62);
  order("ab-a3", a[2], 30, 63);
  order("ab-b1", b[0], 40, 64);
  order("ab-b2", b[1], 70, 65, "refunded");
  order("ab-o1", other[0], 500, 66);
  order("ab-old", old, 500, 67);
  await load(db, sessions, orders);
}
