import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { sessionWhere } from "./filters";
import { money } from "./format";
import { paramSchemas, parseParams, type AnalyticsQuery, type SearchInput } from "./params";
import { CONVERTED } from "./session-figures";
import type { SessionDimensions } from "@/lib/db/session-dimensions";

/**
 * Recent sessions (SPEC 4), newest first, paged by keyset on (started_at, id): a page costs the
 * same however deep it is. The cursor is opaque base64url of the last row's exact instant (epoch
 * microseconds, so no precision is lost through JS dates) and id.
 */

export type SessionItem = SessionDimensions & {
  id: string;
  started_at: string;
  visitor_id: string;
  page_views: number;
  is_returning: boolean;
  is_converted: boolean;
  revenue: number;
};
export type SessionsPage = { items: SessionItem[]; next_cursor: string | null };
export type Cursor = { micros: string; id: string };


export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.micros}|${c.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string): Cursor {
  const bad = () => badRequest("Invalid parameter: cursor", [{ path: "cursor", message: "is not a cursor from a previous page" }]);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) throw bad();
  const m = /^(-?\d{1,17})\|([0-9a-f-]{36})$/i.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!m || !isUuid(m[2])) throw bad();
  return { micros: m[1], id: m[2].toLowerCase() };
}

const schema = z.object({ limit: paramSchemas.limit.optional(), cursor: z.string().max(200, "is not a cursor from a previous page").optional() });

export function parseSessionsParams(sp: SearchInput): { limit: number; cursor?: Cursor } {
  const p = parseParams(sp, schema);
  return { limit: p.limit ?? 50, cursor: p.cursor === undefined ? undefined : decodeCursor(p.cursor) };
}

/** The columns of a sessions item: ISO-8601 UTC instants, ids and enums as text. */
export const SESSION_ITEM_COLUMNS = sql`s.id::text as id,
  to_char(s.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
  s.visitor_id::text as visitor_id, s.utm_source, s.utm_medium, s.utm_campaign, s.utm_content, s.utm_term,
  s.country::text as country, s.device::text as device, s.browser, s.os, s.channel, s.page_views,
  s.is_returning, (${CONVERTED}) as is_converted, s.revenue`;

export const cursorPosition = sql`(extract(epoch from s.started_at) * 1000000)::bigint::text`;

export function afterCursor(cursor: Cursor | undefined): SQL {
  if (!cursor) return sql`true`;
  return sql`(s.started_at, s.id) < (timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`;
}

type Row = SessionItem & { pos: string };

/** One keyset page (also used by the CSV export to stream every session in chunks). */
export async function fetchSessionsPage(db: Db, q: AnalyticsQuery, limit: number, cursor?: Cursor): Promise<{ items: SessionItem[]; next?: Cursor }> {
  const got = await rows<Row>(
    db,
    sql`select ${SESSION_ITEM_COLUMNS}, ${cursorPosition} as pos
        from sessions s
        where ${sessionWhere(q, "s")} and ${afterCursor(cursor)}
        order by s.started_at desc, s.id desc
        limit ${limit + 1}`,
  );
  const page = got.slice(0, limit);
  const last = page[page.length - 1];
  const items = page.map(({ pos: _pos, ...item }) => ({ ...item, revenue: money(item.revenue) }));
  return { items, next: got.length > limit && last ? { micros: last.pos, id: last.id } : undefined };
}

export async function getSessionsList(db: Db, q: AnalyticsQuery, opts: { limit?: number; cursor?: Cursor } = {}): Promise<SessionsPage> {
  const { items, next } = await fetchSessionsPage(db, q, opts.limit ?? 50, opts.cursor);
  return { items, next_cursor: next ? encodeCursor(next) : null };
}
