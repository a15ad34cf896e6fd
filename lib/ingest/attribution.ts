import { sql, type SQL } from "drizzle-orm";

/**
 * SPEC 3.3, last non-direct touch, as one set-based SELECT so many orders are attributed in one
 * statement (LATERAL index probes on sessions(visitor_id, started_at)):
 *   1. the session named in the order, when it exists;
 *   2. else the visitor's latest session started at or before placed_at, within the window,
 *      whose source is not (direct);
 *   3. else the visitor's latest session started at or before placed_at within the window;
 *   4. else none.
 * The window: placed_at − started_at ≤ ATTRIBUTION_WINDOW_DAYS × 24 h.
 * Callers use it only when an order is FIRST stored; an update never re-attributes.
 *
 * `input` must be a relation with columns order_id, session_id (uuid, nullable), visitor_id
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
    LEFT JOIN sessions named ON named.id = i.session_id
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
