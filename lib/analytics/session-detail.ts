import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { sessionWhere } from "./filters";
import { money } from "./format";
import type { AnalyticsQuery } from "./params";
import { SESSION_ITEM_COLUMNS, type SessionItem } from "./sessions-list";

/** One session with its events in time order and every order attributed to it (any status). */

export type SessionEvent = { type: string; name: string | null; path: string | null; occurred_at: string; properties: unknown };
/**
 * An order of the session: `total` in APP_CURRENCY, null while it awaits a rate (SPEC 17.5);
 * `currency` and `total_original` as the shop sent it (null on orders stored before v5).
 */
export type SessionOrder = { order_id: string; total: number | null; currency: string | null; total_original: number | null; status: string; placed_at: string };
export type SessionDetail = SessionItem & { landing_url: string | null; referrer: string | null; events: SessionEvent[]; orders: SessionOrder[] };

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * `within` (share links, SPEC 16): the selection (range + filters) the session must belong to;
 * a session outside it is answered 404 like an unknown one.
 */
export async function getSessionDetail(db: Db, id: string, opts: { within?: Pick<AnalyticsQuery, "range" | "filters" | "tz"> } = {}): Promise<SessionDetail> {
  // A malformed id names no session: 404 like an unknown one (never a database cast error).
  if (typeof id !== "string" || !isUuid(id)) throw notFound("Session not found");
  const [s] = await rows<SessionItem & { landing_url: string | null; referrer: string | null }>(
    db,
    sql`select ${SESSION_ITEM_COLUMNS}, s.landing_url, s.referrer from sessions s where s.id = ${id}::uuid${opts.within ? sql` and ${sessionWhere(opts.within, "s")}` : sql``}`,
  );
  if (!s) throw notFound("Session not found");
  const events = await rows<SessionEvent>(
    db,
    sql`select e.type::text as type, e.name, e.path, ${iso("e.occurred_at")} as occurred_at, e.properties
        from events e where e.session_id = ${id}::uuid order by e.occurred_at, e.id`,
  );
  const orders = await rows<SessionOrder>(
    db,
    sql`select o.order_id::text as order_id, o.total, o.currency::text as currency, o.total_original, o.status::text as status, ${iso("o.placed_at")} as placed_at
        from orders o where o.session_id = ${id}::uuid order by o.placed_at, o.order_id`,
  );
  return {
    ...s,
    revenue: money(s.revenue),
    events: events.map((e) => ({ ...e, properties: e.properties ?? null })),
    orders: orders.map((o) => ({ ...o, total: o.total === null ? null : money(Number(o.total)), total_original: o.total_original === null ? null : money(Number(o.total_original)) })),
  };
}
