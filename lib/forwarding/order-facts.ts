import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";

/**
 * What an order's conversion event is built from: the order as sent (amount in its own currency,
 * hashed contacts), the click ids of its attributed session (or, for an order without a session,
 * of its landing touchpoint, SPEC 17.1), and its visitor's consent: the latest consent any of
 * the visitor's sessions reported, else the attributed session's.
 */
export type OrderFacts = {
  order_id: string;
  status: string;
  value: number;
  currency: string;
  placed_at: Date;
  email_sha256: string | null;
  phone_sha256: string | null;
  customer_id: string;
  page_url: string | null;
  referrer: string | null;
  click_ids: Record<string, string>;
  /** When the click ids were seen (session start, or the touchpoint's time): Meta's fbc creation time. */
  clicked_at: Date | null;
  consent: Record<string, string> | null;
};

type Raw = Omit<OrderFacts, "placed_at" | "clicked_at" | "value" | "click_ids"> & {
  placed_at: number;
  clicked_at: number | null;
  value: string | number;
  click_ids: Record<string, string> | null;
};

export async function loadOrderFacts(db: Db, orderIds: readonly string[]): Promise<Map<string, OrderFacts>> {
  if (orderIds.length === 0) return new Map();
  const got = await rows<Raw>(
    db,
    sql`
    SELECT o.order_id::text AS order_id, o.status::text AS status,
           coalesce(o.total_original, o.total)::text AS value,
           coalesce(o.currency, ${config().currency})::text AS currency,
           (extract(epoch from o.placed_at) * 1000)::float8 AS placed_at, o.email_sha256::text AS email_sha256, o.phone_sha256::text AS phone_sha256,
           o.customer_id::text AS customer_id,
           coalesce(s.landing_url, t.landing_url, o.landing_url) AS page_url,
           coalesce(s.referrer, t.referrer, o.referrer) AS referrer,
           coalesce(s.click_ids, t.click_ids) AS click_ids,
           (extract(epoch from CASE WHEN s.click_ids IS NOT NULL THEN s.started_at ELSE t.occurred_at END) * 1000)::float8 AS clicked_at,
           coalesce(
             (SELECT v.consent FROM sessions v WHERE o.visitor_id IS NOT NULL AND v.visitor_id = o.visitor_id AND v.consent IS NOT NULL
              ORDER BY v.started_at DESC LIMIT 1),
             s.consent) AS consent
    FROM orders o
    LEFT JOIN sessions s ON s.id = o.session_id
    LEFT JOIN order_touchpoints t ON t.order_id = o.order_id
    WHERE o.order_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(orderIds)}::json)))`,
  );
  return new Map(
    got.map((r) => [
      r.order_id,
      {
        ...r,
        value: Number(r.value),
        placed_at: new Date(Number(r.placed_at)),
        clicked_at: r.clicked_at === null ? null : new Date(Number(r.clicked_at)),
        click_ids: r.click_ids ?? {},
      },
    ]),
  );
}

/** Whether the visitor allowed sending this order (SPEC 19): ad_user_data granted, unless the check is off. */
export function consentAllows(f: OrderFacts): boolean {
  return !config().forwarding.requireConsent || f.consent?.ad_user_data === "granted";
}
