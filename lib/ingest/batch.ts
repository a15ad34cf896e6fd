import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { badRequest, zodIssues, type Issue } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { lockSessions, refreshReturning, refreshSessionEventFacts } from "./facts";
import { parseEventRecord, parseSessionRecord } from "./batch-records";
import { deriveTrafficSource, NONE, pathOf, referrerHost } from "./normalize";
import type { QueuedEvent } from "./collect-queue";
import { upsertOrders, validateOrders, type ValidOrder } from "./orders";
import { FUNNEL_STEP, type EventType } from "./schemas";
import { inTransaction, uniq } from "./sql-util";
import { isBotUserAgent, parseUserAgent, type Device } from "./user-agent";
import type { SessionDimensions } from "@/lib/db/session-dimensions";

/**
 * SPEC 2.4: backfill/migration of sessions, events and orders, all-or-nothing in one transaction,
 * idempotent by id (a record sent again is updated in place). Also the loader behind
 * `seed-demo` and `import`, so it is set-based throughout: one multi-row statement per record
 * kind (json_to_recordset) and one set-based statement per maintained fact.
 */

export const MAX_BATCH_RECORDS = 10_000;
export const MAX_BATCH_BYTES = 20 * 1024 * 1024;

const batchShape = z.object(
  {
    sessions: z.array(z.unknown(), { error: "must be an array" }).nullish(),
    events: z.array(z.unknown(), { error: "must be an array" }).nullish(),
    orders: z.array(z.unknown(), { error: "must be an array" }).nullish(),
  },
  { error: "must be an object with sessions, events and orders arrays" },
);

type SessionRow = SessionDimensions & {
  device: Device;
  id: string;
  visitor_id: string;
  started_at: string;
  landing_url: string | null;
  landing_path: string | null;
  referrer: string | null;
  referrer_host: string;
};

/** An event row as the one event insert takes it, without collect's per-event fact deltas. */
type EventRow = Omit<QueuedEvent, "page_view" | "step">;

type Parsed = {
  sessions: SessionRow[];
  botSessions: Set<string>;
  events: { row: EventRow; index: number }[];
  orders: ValidOrder[];
};

export type BatchResult = { sessions: number; events: number; orders: number };

/** Validates everything first (one issue per bad field), derives and normalises session attributes. */
export function parseBatch(body: unknown): Parsed {
  const shape = batchShape.safeParse(sanitizeJson(body));
  if (!shape.success) throw badRequest("Invalid batch", zodIssues(shape.error));
  const rawSessions = shape.data.sessions ?? [];
  const rawEvents = shape.data.events ?? [];
  const rawOrders = shape.data.orders ?? [];
  const total = rawSessions.length + rawEvents.length + rawOrders.length;
  if (total > MAX_BATCH_RECORDS) {
    throw badRequest(`At most ${MAX_BATCH_RECORDS} records per batch; split it`, [
      { path: "(root)", message: `has ${total} records, more than ${MAX_BATCH_RECORDS}` },
    ]);
  }

  const issues: Issue[] = [];
  const sessions = new Map<string, SessionRow>();
  const botSessions = new Set<string>();
  rawSessions.forEach((item, i) => {
    const s = parseSessionRecord(item, `sessions[${i}]`, issues);
    if (!s) return;
    sessions.delete(s.id);
    if (isBotUserAgent(s.user_agent)) {
      botSessions.add(s.id);
      return;
    }
    botSessions.delete(s.id);
    // Explicit attributes win over derived ones, normalised the same way (SPEC 2.4, 3.1).
    const src = deriveTrafficSource({ landingUrl: s.landing_url, referrer: s.referrer, explicit: s });
    const agent = parseUserAgent(s.user_agent);
    sessions.set(s.id, {
      id: s.id,
      visitor_id: s.visitor_id,
      started_at: s.started_at,
      landing_url: s.landing_url ?? null,
      landing_path: pathOf(s.landing_url),
      referrer: s.referrer ?? null,
      referrer_host: referrerHost(s.referrer),
      utm_source: src.utmSource,
      utm_medium: src.utmMedium,
      utm_campaign: src.utmCampaign,
      utm_content: src.utmContent,
      utm_term: src.utmTerm,
      country: s.country ?? NONE,
      device: s.device ?? agent.device,
      browser: s.browser ?? agent.browser,
      os: s.os ?? agent.os,
    });
  });

  const events = new Map<string, { row: EventRow; index: number }>();
  rawEvents.forEach((item, i) => {
    const e = parseEventRecord(item, `events[${i}]`, issues);
    if (!e) return;
    events.delete(e.id);
    events.set(e.id, {
      index: i,
      row: {
        id: e.id,
        session_id: e.session_id,
        type: e.type,
        name: e.type === "custom" ? (e.name ?? null) : null,
        path: e.path ?? null,
        occurred_at: e.occurred_at,
        properties: e.properties ?? null,
      },
    });
  });

  const orders = validateOrders(rawOrders, (i) => `orders[${i}]`, issues);
  if (issues.length) throw badRequest("Invalid batch: nothing was stored", issues);
  return { sessions: [...sessions.values()], botSessions, events: [...events.values()], orders };
}

export async function ingestBatch(db: Db, body: unknown): Promise<BatchResult> {
  const parsed = parseBatch(body);
  const events = parsed.events.filter((e) => !parsed.botSessions.has(e.row.session_id));
  const facts = eventFactsOf(events.map((e) => e.row));
  return inTransaction(db, async (tx) => {
    const s = await upsertSessions(tx, parsed.sessions, facts);
    const batchIds = new Set(parsed.sessions.map((x) => x.id));
    const updated = new Set(s.updated);
    // A session inserted by this batch got its event facts from the batch itself (exact: a new
    // session has no other events); the rest are recomputed from the table.
    const eventCount = await upsertEvents(tx, events, batchIds, (id) => !batchIds.has(id) || updated.has(id));
    const stored = await upsertOrders(tx, parsed.orders, batchIds, s.acquisitionCustomers);
    await refreshReturning(tx, uniq([...parsed.sessions.map((x) => x.visitor_id), ...s.formerVisitors]));
    return { sessions: s.count, events: eventCount, orders: stored.length };
  });
}

type EventFacts = { page_views: number; event_count: number; funnel_step: number; last_event_at: string | null };

/** The facts the batch's own events give each session (for sessions this batch creates). */
function eventFactsOf(events: EventRow[]): Map<string, EventFacts> {
  const out = new Map<string, EventFacts>();
  for (const e of events) {
    let f = out.get(e.session_id);
    if (!f) out.set(e.session_id, (f = { page_views: 0, event_count: 0, funnel_step: 0, last_event_at: null }));
    f.event_count++;
    if (e.type === "page_view") f.page_views++;
    f.funnel_step = Math.max(f.funnel_step, FUNNEL_STEP[e.type as EventType]);
    // Canonical toISOString() strings compare like the instants they name.
    if (!f.last_event_at || e.occurred_at > f.last_event_at) f.last_event_at = e.occurred_at;
  }
  return out;
}

/**
 * Upserts sessions; a new session is inserted with is_returning already right against stored
 * sessions and the batch itself, so the later refresh rewrites rows only when history changed.
 * Answers what else must be refreshed: visitors a session was moved away from, and customers
 * acquired by an updated session (its dimensions feed the customer row).
 */
async function upsertSessions(tx: Db, list: SessionRow[], facts: Map<string, EventFacts>) {
  if (list.length === 0) return { count: 0, updated: [] as string[], formerVisitors: [] as string[], acquisitionCustomers: [] as string[] };
  const none: EventFacts = { page_views: 0, event_count: 0, funnel_step: 0, last_event_at: null };
  const json = JSON.stringify(list.map((s) => ({ ...s, ...(facts.get(s.id) ?? none) })));
  const [r] = await rows<{ n: number; former: string[] | null; updated: string[] | null }>(
    tx,
    sql`
    WITH input AS (
      SELECT x.*, x.started_at > min(x.started_at) OVER (PARTITION BY x.visitor_id) AS later_in_batch
      FROM json_to_recordset(${json}::json) AS x(
        id uuid, visitor_id text, started_at timestamptz, landing_url text, landing_path text, referrer text,
        referrer_host text, utm_source text, utm_medium text, utm_campaign text, utm_content text, utm_term text,
        country text, device text, browser text, os text,
        page_views int, event_count int, funnel_step smallint, last_event_at timestamptz)
    ),
    former AS (
      SELECT DISTINCT s.visitor_id FROM sessions s JOIN input i ON i.id = s.id WHERE s.visitor_id <> i.visitor_id
    ),
    up AS (
      INSERT INTO sessions (id, visitor_id, started_at, last_event_at, landing_url, landing_path, referrer, referrer_host,
                            utm_source, utm_medium, utm_campaign, utm_content, utm_term,
                            country, device, browser, os, page_views, event_count, funnel_step, is_returning)
      SELECT i.id, i.visitor_id, i.started_at, greatest(i.started_at, i.last_event_at), i.landing_url, i.landing_path,
             i.referrer, i.referrer_host, i.utm_source, i.utm_medium, i.utm_campaign, i.utm_content, i.utm_term,
             i.country, i.device, i.browser, i.os, i.page_views, i.event_count, i.funnel_step,
             i.later_in_batch OR EXISTS (
               SELECT 1 FROM sessions p WHERE p.visitor_id = i.visitor_id AND p.started_at < i.started_at)
      FROM input i
      ORDER BY i.id
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
        os = excluded.os
      RETURNING id, (xmax = 0) AS inserted
    )
    SELECT (SELECT count(*) FROM up)::int AS n,
           (SELECT json_agg(visitor_id) FROM former) AS former,
           (SELECT json_agg(id::text) FROM up WHERE NOT inserted) AS updated`,
  );
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
  return { count: r.n, updated, formerVisitors: r.former ?? [], acquisitionCustomers };
}

/**
 * Upserts events (an id already stored for another session is left alone) and recomputes the
 * facts of the sessions that `needsRefresh` names, or of all of them when some event was not
 * written as sent (its id belongs to another session).
 *
 * An event whose session is neither in the batch nor stored is skipped (not stored, not counted)
 * rather than failing the batch: a bot's session is dropped, and when an import sends events in
 * a later chunk than their sessions, that bot's events must be dropped with it.
 */
async function upsertEvents(
  tx: Db,
  all: { row: EventRow; index: number }[],
  locked: Set<string>,
  needsRefresh: (sessionId: string) => boolean,
): Promise<number> {
  if (all.length === 0) return 0;
  const missing = await rows<{ id: string }>(
    tx,
    sql`SELECT t.v AS id FROM json_array_elements_text(${JSON.stringify(uniq(all.map((e) => e.row.session_id)))}::json) AS t(v)
        WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = t.v::uuid)`,
  );
  const gone = new Set(missing.map((m) => m.id));
  const list = gone.size > 0 ? all.filter((e) => !gone.has(e.row.session_id)) : all;
  if (list.length === 0) return 0;
  const sessionIds = uniq(list.map((e) => e.row.session_id));
  await lockSessions(tx, sessionIds.filter((id) => !locked.has(id)));
  const json = JSON.stringify(list.map((e) => e.row));
  const [r] = await rows<{ n: number }>(
    tx,
    sql`
    WITH up AS (
      INSERT INTO events (id, session_id, type, name, path, occurred_at, properties)
      SELECT x.id, x.session_id, x.type, x.name, x.path, x.occurred_at, x.properties
      FROM json_to_recordset(${json}::json) AS x(
        id uuid, session_id uuid, type text, name text, path text, occurred_at timestamptz, properties jsonb)
      ORDER BY x.id
      ON CONFLICT (id) DO UPDATE SET
        type = excluded.type, name = excluded.name, path = excluded.path,
        occurred_at = excluded.occurred_at, properties = excluded.properties
      WHERE events.session_id = excluded.session_id
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM up`,
  );
  await refreshSessionEventFacts(tx, r.n === list.length ? sessionIds.filter(needsRefresh) : sessionIds);
  return r.n;
}
