import { sql, type SQL } from "drizzle-orm";

/**
 * SPEC 3.3, last non-direct touch, as one set-based SELECT so many orders are attributed in one
 * statement (LATERAL index probes on sessions(visitor_id, started_at)):
 *   1. the session named in the order, when it exists; else the session a browser `purchase`
 *      event linked to the order's id (order_links; lib/ingest/order-links.ts), as if named;
 *   2. else the visitor's latest session started at or before placed_at, within the window,
 *      whose source is not (direct);
 *   3. else the visitor's latest session started at or before placed_at within the window;
 *   4. else none.
 * The window: placed_at − started_at ≤ ATTRIBUTION_WINDOW_DAYS × 24 h.
 * Callers use it only when an order is FIRST stored; an update never re-attributes.
 *
 * `input` must be a relation with columns order_id (text), session_id (uuid, nullable), visitor_id
 * (text, nullable) and placed_at (timestamptz). The SELECT adds `resolved_visitor` (the order's
 * visitor, else its named session's), `attributed_session` and `session_named` (the order named an
 * existing session).
 */
export function attributionSelect(input: SQL, windowDays: number): SQL {
  const windowHours = Math.round(windowDays * 24);
  const windowStart = sql`i.placed_at - make_interval(hours => ${windowHours}::int)`;
  return sql`
    SELECT i.*,
           coalesce(i.visitor_id, named.visitor_id) AS resolved_visitor,
           coalesce(named.id, nondirect.id, anysession.id) AS attributed_session,
           (named.id IS NOT NULL) AS session_named
    FROM ${input} i
    LEFT JOIN LATERAL (
      -- The named session; else the session a browser purchase event linked to this order id
      -- (order_links, SPEC 17.1), which counts as named. At most one row: both are key lookups.
      SELECT s.id, s.visitor_id FROM sessions s WHERE s.id = i.session_id
      UNION ALL
      SELECT s.id, s.visitor_id FROM order_links l JOIN sessions s ON s.id = l.session_id
      WHERE l.order_id = i.order_id AND NOT EXISTS (SELECT 1 FROM sessions n WHERE n.id = i.session_id)
    ) named ON true
    LEFT JOIN LATERAL (
      SELECT s.id FROM sessions s
      WHERE named.id IS NULL AND s.visitor_id = i.visitor_id
        AND s.started_at <= i.placed_at AND s.started_at >= ${windowStart}
        AND s.utm_source <> '(direct)'
      ORDER BY s.started_at DESC, s.id DESC
      LIMIT 1
    ) nondirect ON true
    LEFT JOIN LATERAL (
      SELECT s.id FROM sessions s
      WHERE named.id IS NULL AND nondirect.id IS NULL AND s.visitor_id = i.visitor_id
        AND s.started_at <= i.placed_at AND s.started_at >= ${windowStart}
      ORDER BY s.started_at DESC, s.id DESC
      LIMIT 1
    ) anysession ON true`;
}
