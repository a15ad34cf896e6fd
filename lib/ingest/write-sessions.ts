import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import type { SessionDimensions } from "@/lib/db/session-dimensions";
import { lockSessions, refreshReturning, refreshSessionEventFacts } from "./facts";
import { FUNNEL_STEP, type EventType } from "./schemas";
import { preparedRows, uniq } from "./sql-util";

/**
 * The one write path of sessions and events (SPEC 2.2, 2.4; docs/architecture.md), used by the
 * tracker's group commit (collect-queue.ts) and by the batch (batch.ts). Both write sessions with
 * the same INSERT (columns, json_to_recordset input, is_returning at insert) and events with the
 * same INSERT (only events whose session exists); they differ in their conflict rule only, and
 * with it in how the maintained facts are kept:
 *
 *   collect  `createSessions`: the first event of a session creates it, an existing session is
 *            left alone (DO NOTHING); a new session makes the visitor's later sessions returning
 *            in the same statement. `addEvents`: an event id seen before is a duplicate (DO
 *            NOTHING); written events are added to their sessions' facts and to the tracker's
 *            per-minute counter in the same statement.
 *   batch    `upsertSessions`: a record sent again replaces the stored attributes (DO UPDATE); an
 *            update can move a session to another visitor or time, so is_returning is recomputed
 *            for every visitor involved (facts.ts). `upsertEvents`: an event sent again is updated
 *            when it names the same session; facts are recomputed from the table, except for the
 *            sessions this batch inserted, which got them at insert (`eventFactsOf`).
 *
 * is_returning at insert: the visitor has a session that started earlier, stored or in the same
 * statement's input.
 * Size: over 300 lines because both conflict modes share one INSERT per table and the facts upkeep
 * that follows from each: kept together so the two cannot drift.
 */

/** A session as ingestion stores it: dimensions normalised ("(none)"/"(direct)", never null). */
export type SessionRow = SessionDimensions & {
  id: string;
  visitor_id: string;
  started_at: string;
  landing_url: string | null;
  landing_path: string | null;
  referrer: string | null;
  referrer_host: string;
  /** SPEC 17.4: the landing URL's click ids, null when none. */
  click_ids: Record<string, string> | null;
  /** SPEC 18: the landing URL's utm_id (or the batch's), null when none. */
  utm_id: string | null;
};

export type EventRow = {
  id: string;
  session_id: string;
  type: string;
  name: string | null;
  path: string | null;
  occurred_at: string;
  properties: Record<string, unknown> | null;
};

/** What one event adds to its session's facts: a page view or not, the funnel step it reaches. */
export type EventDelta = { page_view: number; step: number };

export function eventDelta(type: EventType): EventDelta {
  return { page_view: type === "page_view" ? 1 : 0, step: FUNNEL_STEP[type] };
}

/** The facts a session's events make (sessions.page_views, event_count, funnel_step, last_event_at). */
export type EventFacts = { page_views: number; event_count: number; funnel_step: number; last_event_at: string | null };

/** The facts the given events make, per session (for sessions whose events are all here). */
export function eventFactsOf(events: readonly EventRow[]): Map<string, EventFacts> {
  const out = new Map<string, EventFacts>();
  for (const e of events) {
    let f = out.get(e.session_id);
    if (!f) out.set(e.session_id, (f = { page_views: 0, event_count: 0, funnel_step: 0, last_event_at: null }));
    const d = eventDelta(e.type as EventType);
    f.event_count++;
    f.page_views += d.page_view;
    f.funnel_step = Math.max(f.funnel_step, d.step);
    // Canonical toISOString() strings compare like the instants they name.
    if (!f.last_event_at || e.occurred_at > f.last_event_at) f.last_event_at = e.occurred_at;
  }
  return out;
}

// ---- sessions ---------------------------------------------------------------------------------

/**
 * `input` (the rows, and whether a session is later than another of its visitor in the same
 * input) and `written` (the INSERT under `conflict`, answering id, visitor, start and whether the
 * row is new). Facts absent from the input (collect) are those of a session without events.
 */
function writeSessionsCtes(json: string, conflict: SQL): SQL {
  return sql`
    input AS (
      SELECT x.*, x.started_at > min(x.started_at) OVER (PARTITION BY x.visitor_id) AS later_in_input
      FROM json_to_recordset(${json}::json) AS x(
        id uuid, visitor_id text, started_at timestamptz, landing_url text, landing_path text, referrer text,
        referrer_host text, utm_source text, utm_medium text, utm_campaign text, utm_content text, utm_term text,
        country text, device text, browser text, os text, channel text, click_ids jsonb, utm_id text,
        page_views int, event_count int, funnel_step smallint, last_event_at timestamptz)
    ),
    written AS (
      INSERT INTO sessions (id, visitor_id, started_at, last_event_at, landing_url, landing_path, referrer, referrer_host,
                            utm_source, utm_medium, utm_campaign, utm_content, utm_term,
                            country, device, browser, os, channel, click_ids, utm_id, page_views, event_count, funnel_step, is_returning)
      SELECT i.id, i.visitor_id, i.started_at, greatest(i.started_at, i.last_event_at), i.landing_url, i.landing_path,
             i.referrer, i.referrer_host, i.utm_source, i.utm_medium, i.utm_campaign, i.utm_content, i.utm_term,
             i.country, i.device, i.browser, i.os, i.channel, i.click_ids, i.utm_id,
             coalesce(i.page_views, 0), coalesce(i.event_count, 0), coalesce(i.funnel_step, 0),
             i.later_in_input OR EXISTS (
               SELECT 1 FROM sessions p WHERE p.visitor_id = i.visitor_id AND p.started_at < i.started_at)
      FROM input i
      ORDER BY i.id
      ${conflict}
      RETURNING id, visitor_id, started_at, (xmax = 0) AS inserted
    )`;
}

const KEEP_STORED = sql`ON CONFLICT (id) DO NOTHING`;

const REPLACE_ATTRIBUTES = sql`
      ON CONFLICT (id) DO UPDATE SET
        visitor_id = excluded.visitor_id,
        started_at = excluded.started_at,
        last_event_at = greatest(sessions.last_event_at, excluded.started_at),
        landing_url = excluded.landing_url,
        landing_path = excluded.landing_path,
        referrer = excluded.referrer,
        referrer_host = excluded.referrer_host,
        utm_source = excluded.utm_source,
        utm_medium = excluded.utm_medium,
        utm_campaign = excluded.utm_campaign,
        utm_content = excluded.utm_content,
        utm_term = excluded.utm_term,
        country = excluded.country,
        device = excluded.device,
        browser = excluded.browser,
        os = excluded.os,
        channel = excluded.channel,
        click_ids = excluded.click_ids,
        utm_id = excluded.utm_id`;

/**
 * Collect: creates the sessions that do not exist yet (the first event of a session creates it:
 * landing page, referrer, UA, country of that event). A later stored session of a visitor who
 * got an earlier new one becomes returning.
 */
export async function createSessions(db: Db, list: readonly SessionRow[]): Promise<void> {
  if (list.length === 0) return;
  await preparedRows(db, createSessionsStatement(list));
}

/** The statement of createSessions (collect-queue.ts sends it in one round trip with addEvents'). */
export function createSessionsStatement(list: readonly SessionRow[]): SQL {
  return sql`
    WITH ${writeSessionsCtes(JSON.stringify(list), KEEP_STORED)},
    first_new AS (SELECT visitor_id, min(started_at) AS started_at FROM written GROUP BY visitor_id)
    UPDATE sessions s SET is_returning = true
    FROM first_new f
    WHERE s.visitor_id = f.visitor_id AND s.started_at > f.started_at AND NOT s.is_returning`;
}

export type UpsertedSessions = {
  count: number;
  /** Sessions that existed and were updated. */
  updated: string[];
  /** Customers acquired by an updated session: its dimensions feed their row (refreshCustomers). */
  acquisitionCustomers: string[];
};

/**
 * Batch: upserts sessions (ids unique in `list`); a new one is inserted with the facts its events
 * in this batch make (`facts`), an existing one gets the new attributes and keeps its facts. Then
 * is_returning is recomputed for the visitors of the batch and those a session was moved away
 * from (rows are rewritten only where history changed).
 */
export async function upsertSessions(tx: Db, list: readonly SessionRow[], facts: ReadonlyMap<string, EventFacts>): Promise<UpsertedSessions> {
  if (list.length === 0) return { count: 0, updated: [], acquisitionCustomers: [] };
  const none: EventFacts = { page_views: 0, event_count: 0, funnel_step: 0, last_event_at: null };
  const json = JSON.stringify(list.map((s) => ({ ...s, ...(facts.get(s.id) ?? none) })));
  const [r] = await rows<{ n: number; former: string[] | null; updated: string[] | null }>(
    tx,
    sql`
    WITH ${writeSessionsCtes(json, REPLACE_ATTRIBUTES)},
    former AS (
      SELECT DISTINCT s.visitor_id FROM sessions s JOIN input i ON i.id = s.id WHERE s.visitor_id <> i.visitor_id
    )
    SELECT (SELECT count(*) FROM written)::int AS n,
           (SELECT json_agg(visitor_id) FROM former) AS former,
           (SELECT json_agg(id::text) FROM written WHERE NOT inserted) AS updated`,
  );
  await refreshReturning(tx, uniq([...list.map((s) => s.visitor_id), ...(r.former ?? [])]));
  const updated = r.updated ?? [];
  let acquisitionCustomers: string[] = [];
  if (updated.length > 0) {
    const got = await rows<{ customer_id: string }>(
      tx,
      sql`SELECT customer_id::text FROM customers
          WHERE acquisition_session_id = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify(updated)}::json))::uuid[])`,
    );
    acquisitionCustomers = got.map((c) => c.customer_id);
  }
  return { count: r.n, updated, acquisitionCustomers };
}

// ---- events -----------------------------------------------------------------------------------

/**
 * `input` (the rows, plus `extra` columns) and `written` (the INSERT of the events whose session
 * exists, under `conflict`, answering id and session of each row written).
 */
function writeEventsCtes(json: string, extra: SQL, conflict: SQL): SQL {
  return sql`
    input AS (
      SELECT x.* FROM json_to_recordset(${json}::json) AS x(
        id uuid, session_id uuid, type text, name text, path text, occurred_at timestamptz, properties jsonb${extra})
    ),
    written AS (
      INSERT INTO events (id, session_id, type, name, path, occurred_at, properties)
      SELECT i.id, i.session_id, i.type, i.name, i.path, i.occurred_at, i.properties
      FROM input i
      WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.id = i.session_id)
      ORDER BY i.id
      ${conflict}
      RETURNING id, session_id
    )`;
}

/**
 * Collect: inserts the events whose session exists (an id seen before is a duplicate, ignored)
 * and adds them to their sessions' facts and to the per-minute event counter (tracker health) in
 * the same statement. Answers the ids stored and the ids whose session does not exist.
 */
export async function addEvents(db: Db, list: readonly (EventRow & EventDelta)[]): Promise<AddedEvents> {
  if (list.length === 0) return { stored: [], missing: [] };
  return addedEvents(await preparedRows<AddedRow>(db, addEventsStatement(list)));
}

export type AddedEvents = { stored: string[]; missing: string[] };
type AddedRow = { id: string; k: string };

/** What addEventsStatement's rows say: the ids stored, and those whose session does not exist. */
export function addedEvents(got: readonly AddedRow[]): AddedEvents {
  return { stored: got.filter((r) => r.k === "s").map((r) => r.id), missing: got.filter((r) => r.k === "m").map((r) => r.id) };
}

/** The statement of addEvents (its rows read by addedEvents). */
export function addEventsStatement(list: readonly (EventRow & EventDelta)[]): SQL {
  return sql`
    WITH ${writeEventsCtes(JSON.stringify(list), sql`, page_view int, step int`, sql`ON CONFLICT (id) DO NOTHING`)},
    agg AS (
      SELECT i.session_id, count(*)::int AS n, sum(i.page_view)::int AS pv, max(i.step)::smallint AS step,
             max(i.occurred_at) AS last
      FROM written JOIN input i ON i.id = written.id
      GROUP BY i.session_id
    ),
    upd AS (
      UPDATE sessions s SET
        event_count = s.event_count + agg.n,
        page_views = s.page_views + agg.pv,
        funnel_step = greatest(s.funnel_step, agg.step),
        last_event_at = greatest(s.last_event_at, agg.last)
      FROM agg WHERE s.id = agg.session_id
      RETURNING s.id
    ),
    counted AS (
      INSERT INTO tracker_counters (minute, kind, count, last_at)
      SELECT date_trunc('minute', i.occurred_at), 'event', count(*)::int, max(i.occurred_at)
      FROM written JOIN input i ON i.id = written.id
      GROUP BY 1
      ORDER BY 1
      ON CONFLICT (minute, kind) DO UPDATE SET
        count = tracker_counters.count + excluded.count,
        last_at = greatest(tracker_counters.last_at, excluded.last_at)
    )
    SELECT id::text AS id, 's' AS k FROM written
    UNION ALL
    SELECT i.id::text, 'm' FROM input i WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = i.session_id)`;
}

/**
 * Batch: upserts events (ids unique in `list`; an id already stored for another session is left
 * alone) and recomputes the facts of the sessions `needsRefresh` names, or of all of them when
 * some event was not written as sent (its id belongs to another session). `locked` are session
 * ids this transaction holds locks on already.
 *
 * An event whose session is neither in the batch nor stored is skipped (not stored, not counted)
 * rather than failing the batch: a bot's session is dropped, and when an import sends events in
 * a later chunk than their sessions, that bot's events must be dropped with it.
 */
export async function upsertEvents(
  tx: Db,
  list: readonly EventRow[],
  locked: ReadonlySet<string>,
  needsRefresh: (sessionId: string) => boolean,
): Promise<number> {
  if (list.length === 0) return 0;
  const sessionIds = uniq(list.map((e) => e.session_id));
  // Ids of sessions that do not exist lock nothing.
  await lockSessions(tx, sessionIds.filter((id) => !locked.has(id)));
  const [r] = await rows<{ written: number; sent: number }>(
    tx,
    sql`
    WITH ${writeEventsCtes(
      JSON.stringify(list),
      sql``,
      sql`ON CONFLICT (id) DO UPDATE SET
        type = excluded.type, name = excluded.name, path = excluded.path,
        occurred_at = excluded.occurred_at, properties = excluded.properties
      WHERE events.session_id = excluded.session_id`,
    )}
    SELECT (SELECT count(*) FROM written)::int AS written,
           (SELECT count(*) FROM input i WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.id = i.session_id))::int AS sent`,
  );
  if (r.sent === 0) return 0;
  // Refreshing a session that does not exist changes nothing.
  await refreshSessionEventFacts(tx, r.written === r.sent ? sessionIds.filter(needsRefresh) : sessionIds);
  return r.written;
}
