import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { clean, deriveTrafficSource, NONE, pathOf, referrerHost, type ClickIds } from "./normalize";

/**
 * Landing touchpoints (SPEC 17.1 "Without a pixel"). A shop that has no pixel still reports where
 * the buyer landed and came from (Shopify `landing_site`/`referring_site`, WooCommerce's order
 * attribution meta → the order's `landing_url`/`referrer`). An order FIRST stored with no session
 * (it names none, no pixel purchase links it, and 3.3 finds none of its visitor) but with either of
 * them gets one touchpoint, classified exactly as a session would be (deriveTrafficSource, the same
 * landing_page and referrer_host), at the order's `placed_at`, in the order's own transaction.
 *
 * It is not a session: no session figure reads the table. Attribution uses it when the order has
 * no session touchpoint (attribution-credits.ts, weight 1 in every model), acquisition when the
 * customer's first order has no session (facts.ts refreshCustomers), and the ingest answer's
 * `utm_source` when the order has no session. Fixed when first stored, like 3.3 attribution: an
 * update of the order never rewrites it. It keeps the landing URL's click ids (for forwarding
 * conversions, SPEC 19). Erasure clears its URLs and click ids and keeps its dimensions.
 */

/** The fields of an order this reads (ValidOrder carries them). */
export type LandingInput = { order_id: string; landing_url?: string | null; referrer?: string | null };
/** A row upsertOrders answers with. */
export type StoredOrder = { order_id: string; session_id: string | null; utm_source: string | null; created: boolean };

/** The touchpoint's dimensions (the columns of order_touchpoints besides the order, instant and URLs). */
export type TouchpointDimensions = {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  landing_page: string;
  referrer_host: string;
  channel: string;
  /** The landing URL's ad click ids (SPEC 17.4), null when it has none; not a dimension. */
  click_ids: ClickIds | null;
};

/** Classifies a landing URL and referrer as a session's landing would be (SPEC 3.1/17.4). */
export function classifyLanding(landingUrl: string | null | undefined, referrer: string | null | undefined): TouchpointDimensions {
  const src = deriveTrafficSource({ landingUrl, referrer });
  return {
    utm_source: src.utmSource,
    utm_medium: src.utmMedium,
    utm_campaign: src.utmCampaign,
    utm_content: src.utmContent,
    utm_term: src.utmTerm,
    landing_page: pathOf(landingUrl) ?? NONE,
    referrer_host: referrerHost(referrer),
    channel: src.channel,
    click_ids: src.clickIds,
  };
}

/**
 * Stores the touchpoints of the orders just created without a session (in the caller's
 * transaction, before customers are refreshed), then fills `utm_source` of every stored row that
 * has no session from its touchpoint (new or stored earlier), so the ingest answer says where the
 * order came from.
 */
export async function addLandingTouchpoints(tx: Db, orders: readonly LandingInput[], stored: StoredOrder[]): Promise<void> {
  const sessionless = stored.filter((r) => r.session_id === null);
  if (sessionless.length === 0) return;
  const created = new Set(sessionless.filter((r) => r.created).map((r) => r.order_id));
  const fresh = orders
    .map((o) => ({ order_id: o.order_id, landing_url: clean(o.landing_url) ?? null, referrer: clean(o.referrer) ?? null }))
    .filter((o) => created.has(o.order_id) && (o.landing_url !== null || o.referrer !== null))
    .map((o) => ({ ...o, ...classifyLanding(o.landing_url, o.referrer) }));
  if (fresh.length) {
    // occurred_at is the stored order's placed_at; `session_id is null` re-checks the stored row.
    await tx.execute(sql`
      INSERT INTO order_touchpoints (order_id, occurred_at, landing_url, referrer, landing_page, referrer_host,
                                     utm_source, utm_medium, utm_campaign, utm_content, utm_term, channel, click_ids)
      SELECT o.order_id, o.placed_at, x.landing_url, x.referrer, x.landing_page, x.referrer_host,
             x.utm_source, x.utm_medium, x.utm_campaign, x.utm_content, x.utm_term, x.channel, x.click_ids
      FROM json_to_recordset(${JSON.stringify(fresh)}::json) AS x(
             order_id text, landing_url text, referrer text, landing_page text, referrer_host text,
             utm_source text, utm_medium text, utm_campaign text, utm_content text, utm_term text, channel text, click_ids jsonb)
      JOIN orders o ON o.order_id = x.order_id
      WHERE o.session_id IS NULL
      ORDER BY o.order_id
      ON CONFLICT (order_id) DO NOTHING`);
  }
  const ids = JSON.stringify(sessionless.map((r) => r.order_id));
  const sources = await rows<{ order_id: string; utm_source: string }>(
    tx,
    sql`SELECT order_id::text AS order_id, utm_source::text AS utm_source FROM order_touchpoints
        WHERE order_id IN (SELECT v FROM json_array_elements_text(${ids}::json) AS t(v))`,
  );
  const byId = new Map(sources.map((s) => [s.order_id, s.utm_source]));
  for (const r of sessionless) r.utm_source = byId.get(r.order_id) ?? r.utm_source;
}

/** Erasure (SPEC 16): the touchpoints of these orders lose their URLs and click ids and keep their dimensions. */
export async function clearTouchpointUrls(tx: Db, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.execute(sql`
    UPDATE order_touchpoints SET landing_url = NULL, referrer = NULL, click_ids = NULL
    WHERE order_id IN (SELECT v FROM json_array_elements_text(${JSON.stringify(orderIds)}::json) AS t(v))
      AND (landing_url IS NOT NULL OR referrer IS NOT NULL OR click_ids IS NOT NULL)`);
}
