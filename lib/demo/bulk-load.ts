import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { countedOrder } from "@/lib/db/counted-orders";
import { upsertAdSpend } from "@/lib/analytics/ad-spend";
import { config } from "@/lib/config";
import { attributionSelect } from "@/lib/ingest/attribution";
import { parseSessionRecord } from "@/lib/ingest/batch-records";
import { refreshCustomers } from "@/lib/ingest/facts";
import { deriveTrafficSource, NONE, pathOf, referrerHost } from "@/lib/ingest/normalize";
import { FUNNEL_STEP, type EventType } from "@/lib/ingest/schemas";
import { isBotUserAgent, parseUserAgent } from "@/lib/ingest/user-agent";
import { generateDemo, type DemoOptions, type DemoSession } from "./generate";

/**
 * The bench's set-based loader (issue 14): the same reference data set as seedDemo (same generator,
 * same seed → the same sessions, events and orders, normalised by the same functions), written
 * without the per-batch ingestion path:
 *   1. secondary indexes and the events/orders foreign keys of sessions/events are dropped;
 *   2. sessions (with their event facts and is_returning computed in memory from the generated
 *      rows: the generator emits sessions in time order) and events are streamed with COPY on
 *      PostgreSQL (multi-row INSERTs from json on PGlite); orders go to a staging table;
 *   3. indexes and constraints are rebuilt, orders are attributed set-based with the one
 *      attribution SELECT (SPEC 3.3), then paid_orders/revenue and the customers table are
 *      computed set-based with the definitions of lib/ingest/facts.ts; VACUUM ANALYZE.
 * Only for an EMPTY database (the bench's fresh one): it refuses to run on one with sessions.
 * Attribution sees every session of the set at once; the ingestion path attributes an order when
 * its chunk is stored, which can differ only when a visitor has a session in a LATER chunk that
 * starts before the order was placed (rare; the equality test with several chunks does not meet it).
 * Size: over 300 lines for one concern: the ordered steps of one set-based load (drop, stream,
 * rebuild, attribute, facts), each needing the previous one's state.
 */

export type BulkLoadResult = { sessions: number; events: number; orders: number; adSpendRows: number; ms: number };
export type BulkProgress = { sessionsDone: number; sessionsTotal: number; phase: "load" | "index" | "facts" };

/** One writer per table: COPY text lines (PostgreSQL) or json row batches (PGlite). */
type Sink = { write: (table: "sessions" | "events" | "orders", row: unknown[]) => Promise<void>; end: () => Promise<void> };

const SESSION_COLS = [
  "id", "visitor_id", "started_at", "last_event_at", "landing_url", "landing_path", "referrer", "referrer_host",
  "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "country", "device", "browser", "os",
  "page_views", "event_count", "funnel_step", "is_returning", "channel", "click_ids",
] as const;
const SESSION_TYPES = [
  "uuid", "text", "timestamptz", "timestamptz", "text", "text", "text", "text", "text", "text", "text", "text", "text",
  "text", "text", "text", "text", "int", "int", "smallint", "boolean", "text", "jsonb",
];
const EVENT_COLS = ["id", "session_id", "type", "name", "path", "occurred_at", "properties"] as const;
const EVENT_TYPES = ["uuid", "uuid", "text", "text", "text", "timestamptz", "jsonb"];
const ORDER_COLS = ["order_id", "customer_id", "visitor_id", "session_id", "total", "status", "placed_at", "items"] as const;
const ORDER_TYPES = ["text", "text", "text", "uuid", "numeric", "text", "timestamptz", "int"];
const COLS = { sessions: SESSION_COLS, events: EVENT_COLS, orders: ORDER_COLS };
const TYPES = { sessions: SESSION_TYPES, events: EVENT_TYPES, orders: ORDER_TYPES };
/** Orders wait in an unlogged staging table until every session is there to attribute them. */
const STAGE = "bulk_orders_stage";
const TARGET = { sessions: "sessions", events: "events", orders: STAGE };

/** COPY text format: \N for null, backslash, tab, newline and carriage return escaped. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  const s = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : s;
}

type PgClient = {
  unsafe: (q: string) => { writable: () => Promise<Writable> } & PromiseLike<unknown>;
  end: (o?: { timeout?: number }) => Promise<void>;
};

async function copySink(url: string): Promise<Sink> {
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 3, onnotice: () => {} }) as unknown as PgClient;
  const streams = {} as Record<keyof typeof COLS, Writable>;
  const buffers = { sessions: [] as string[], events: [] as string[], orders: [] as string[] };
  for (const t of ["sessions", "events", "orders"] as const) {
    streams[t] = await client.unsafe(`COPY ${TARGET[t]} (${COLS[t].join(", ")}) FROM STDIN`).writable();
  }
  const flush = async (t: keyof typeof COLS) => {
    const chunk = buffers[t].join("");
    buffers[t] = [];
    if (!streams[t].write(chunk)) await new Promise<void>((resolve) => streams[t].once("drain", () => resolve()));
  };
  return {
    write: async (t, row) => {
      buffers[t].push(row.map(copyField).join("\t") + "\n");
      if (buffers[t].length >= 2000) await flush(t);
    },
    end: async () => {
      try {
        for (const t of ["sessions", "events", "orders"] as const) {
          await flush(t);
          await new Promise<void>((resolve, reject) => {
            streams[t].once("error", reject);
            streams[t].end(() => resolve());
          });
        }
        // The stream's end callback fires when the server has taken the COPY; one round trip makes sure.
        await client.unsafe("select 1");
      } finally {
        await client.end({ timeout: 5 });
      }
    },
  };
}

/** PGlite (and the test on both drivers): the same rows through json_to_recordset INSERTs. */
function insertSink(db: Db): Sink {
  const buffers = { sessions: [] as unknown[][], events: [] as unknown[][], orders: [] as unknown[][] };
  const flush = async (t: keyof typeof COLS) => {
    if (buffers[t].length === 0) return;
    const cols = COLS[t];
    const json = JSON.stringify(buffers[t].map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]]))));
    buffers[t] = [];
    const def = cols.map((c, i) => `${c} ${TYPES[t][i]}`).join(", ");
    await db.execute(sql`INSERT INTO ${sql.raw(TARGET[t])} (${sql.raw(cols.join(", "))})
      SELECT ${sql.raw(cols.join(", "))} FROM json_to_recordset(${json}::json) AS x(${sql.raw(def)})`);
  };
  return {
    write: async (t, row) => {
      buffers[t].push(row);
      if (buffers[t].length >= 5000) await flush(t);
    },
    end: async () => {
      await flush("sessions");
      await flush("events");
      await flush("orders");
    },
  };
}

type Saved = { drop: string[]; create: string[] };

/**
 * Secondary indexes, primary keys and foreign keys of sessions and events, to drop now and rebuild
 * later: every foreign key to sessions (events, orders, order_links, …) and events' own.
 */
async function takeApartIndexes(db: Db): Promise<Saved> {
  const fks = await rows<{ tbl: string; name: string; def: string }>(
    db,
    sql`SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype = 'f' AND (confrelid::regclass::text = 'sessions' OR conrelid::regclass::text = 'events')
        ORDER BY conname`,
  );
  const pks = await rows<{ tbl: string; name: string; def: string }>(
    db,
    sql`SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE contype = 'p' AND conrelid::regclass::text IN ('sessions', 'events') ORDER BY conname`,
  );
  const idx = await rows<{ name: string; def: string }>(
    db,
    sql`SELECT indexname AS name, indexdef AS def FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename IN ('sessions', 'events')
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u')) ORDER BY indexname`,
  );
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return {
    drop: [
      ...fks.map((f) => `ALTER TABLE ${q(f.tbl)} DROP CONSTRAINT ${q(f.name)}`),
      ...pks.map((p) => `ALTER TABLE ${q(p.tbl)} DROP CONSTRAINT ${q(p.name)}`),
      ...idx.map((i) => `DROP INDEX ${q(i.name)}`),
    ],
    create: [
      ...pks.map((p) => `ALTER TABLE ${q(p.tbl)} ADD CONSTRAINT ${q(p.name)} ${p.def}`),
      ...idx.map((i) => i.def),
      ...fks.map((f) => `ALTER TABLE ${q(f.tbl)} ADD CONSTRAINT ${q(f.name)} ${f.def}`),
    ],
  };
}

type Dims = { country: string; device: string; browser: string; os: string; bot: boolean };
type Src = { utm: ReturnType<typeof deriveTrafficSource>; landingPath: string | null; referrerHost: string };

/** The ingestion path's normalisation (lib/ingest/batch.ts parseBatch), memoised per distinct input. */
function normaliser() {
  const dims = new Map<string, Dims>();
  const srcs = new Map<string, Src>();
  return (s: DemoSession): (Dims & Src) => {
    const dk = `${s.country}\u0000${s.user_agent}`;
    let d = dims.get(dk);
    if (!d) {
      const issues: never[] = [];
      const rec = parseSessionRecord({ ...s, landing_url: undefined, referrer: undefined }, "s", issues);
      if (!rec) throw new Error(`demo session not valid: ${JSON.stringify(s)}`);
      const agent = parseUserAgent(rec.user_agent);
      d = {
        country: rec.country ?? NONE,
        device: rec.device ?? agent.device,
        browser: rec.browser ?? agent.browser,
        os: rec.os ?? agent.os,
        bot: isBotUserAgent(rec.user_agent),
      };
      dims.set(dk, d);
    }
    const sk = `${s.landing_url}\u0000${s.referrer ?? ""}`;
    let src = srcs.get(sk);
    if (!src) {
      src = {
        utm: deriveTrafficSource({ landingUrl: s.landing_url, referrer: s.referrer }),
        landingPath: pathOf(s.landing_url),
        referrerHost: referrerHost(s.referrer),
      };
      if (srcs.size > 200_000) srcs.clear();
      srcs.set(sk, src);
    }
    return { ...d, ...src };
  };
}

export async function bulkLoadDemo(
  db: Db,
  opts: DemoOptions & {
    /** PostgreSQL URL of `db`: rows are streamed with COPY. Without it, multi-row INSERTs (PGlite). */
    copyUrl?: string;
    onProgress?: (p: BulkProgress) => void;
  },
): Promise<BulkLoadResult> {
  const t0 = Date.now();
  const [any] = await rows<{ any: boolean }>(db, sql`SELECT exists(SELECT 1 FROM sessions) OR exists(SELECT 1 FROM orders) AS any`);
  if (any?.any) throw new Error("bulkLoadDemo needs an empty database (it drops and rebuilds indexes)");
  await db.execute(sql.raw(`DROP TABLE IF EXISTS ${STAGE}`));
  await db.execute(
    sql.raw(`CREATE UNLOGGED TABLE ${STAGE} (${ORDER_COLS.map((c, i) => `${c} ${ORDER_TYPES[i]}`).join(", ")}, seq serial)`),
  );
  const saved = await takeApartIndexes(db);
  for (const s of saved.drop) await db.execute(sql.raw(s));

  const total = { sessions: 0, events: 0, orders: 0, adSpendRows: 0 };
  const normalise = normaliser();
  /** A visitor's first start (ms): is_returning = started later than the visitor's first session. */
  const firstStart = new Map<string, number>();
  const sink = opts.copyUrl ? await copySink(opts.copyUrl) : insertSink(db);
  let sinkEnded = false;
  try {
    for (const chunk of generateDemo(opts)) {
      const facts = new Map<string, { pv: number; n: number; step: number; last: string | null }>();
      for (const e of chunk.events) {
        let f = facts.get(e.session_id);
        if (!f) facts.set(e.session_id, (f = { pv: 0, n: 0, step: 0, last: null }));
        f.n++;
        if (e.type === "page_view") f.pv++;
        f.step = Math.max(f.step, FUNNEL_STEP[e.type as EventType]);
        if (!f.last || e.occurred_at > f.last) f.last = e.occurred_at;
      }
      const bots = new Set<string>();
      for (const s of chunk.sessions) {
        const n = normalise(s);
        if (n.bot) {
          bots.add(s.id);
          continue;
        }
        const f = facts.get(s.id) ?? { pv: 0, n: 0, step: 0, last: null };
        const ms = Date.parse(s.started_at);
        const first = firstStart.get(s.visitor_id);
        if (first === undefined || ms < first) firstStart.set(s.visitor_id, ms);
        const last = f.last && f.last > s.started_at ? f.last : s.started_at;
        await sink.write("sessions", [
          s.id, s.visitor_id, s.started_at, last, s.landing_url, n.landingPath, s.referrer ?? null, n.referrerHost,
          n.utm.utmSource, n.utm.utmMedium, n.utm.utmCampaign, n.utm.utmContent, n.utm.utmTerm,
          n.country, n.device, n.browser, n.os, f.pv, f.n, f.step, first !== undefined && ms > first,
          n.utm.channel, n.utm.clickIds,
        ]);
        total.sessions++;
      }
      for (const e of chunk.events) {
        if (bots.has(e.session_id)) continue;
        const props = e.properties && Object.keys(e.properties).length > 0 ? e.properties : null;
        await sink.write("events", [e.id, e.session_id, e.type, null, e.path, e.occurred_at, props]);
        total.events++;
      }
      for (const o of chunk.orders) {
        await sink.write("orders", [o.order_id, o.customer_id, o.visitor_id, o.session_id ?? null, o.total, o.status, o.placed_at, o.items]);
      }
      if (chunk.adSpend.length) total.adSpendRows += await upsertAdSpend(db, chunk.adSpend).then(() => chunk.adSpend.length);
      opts.onProgress?.({ sessionsDone: chunk.sessionsDone, sessionsTotal: opts.sessions, phase: "load" });
    }
    sinkEnded = true;
    await sink.end();
  } finally {
    if (!sinkEnded) await sink.end().catch(() => {});
  }
  firstStart.clear();

  opts.onProgress?.({ sessionsDone: opts.sessions, sessionsTotal: opts.sessions, phase: "index" });
  for (const s of saved.create) await db.execute(sql.raw(s));

  opts.onProgress?.({ sessionsDone: opts.sessions, sessionsTotal: opts.sessions, phase: "facts" });
  // The generator emits a session before any session of the same visitor that starts later, so
  // is_returning written above is `started_at > min(started_at) over the visitor` (refreshReturning).
  total.orders = await attributeOrders(db);
  await db.execute(sql.raw(`DROP TABLE ${STAGE}`));
  // refreshSessionOrderFacts for every session at once: count and sum of its paid orders.
  await db.execute(sql`
    UPDATE sessions s SET paid_orders = a.n, revenue = a.rev
    FROM (SELECT session_id, count(*)::int AS n, sum(total)::numeric(14,2) AS rev
          FROM orders WHERE ${countedOrder("")} AND session_id IS NOT NULL GROUP BY session_id) a
    WHERE s.id = a.session_id`);
  const customers = await rows<{ id: string }>(db, sql`SELECT DISTINCT customer_id AS id FROM orders ORDER BY 1`);
  for (let i = 0; i < customers.length; i += 5000) {
    await refreshCustomers(db, customers.slice(i, i + 5000).map((c) => c.id));
  }
  // Fresh visibility map (index-only scans) and statistics, as after autovacuum of a real load.
  await db.execute(sql`VACUUM ANALYZE sessions, events, orders, customers, ad_spend`);
  return { ...total, ms: Date.now() - t0 };
}

/** Orders from the staging table, attributed like upsertOrders does for a first-stored order, in batches by placed_at. */
async function attributeOrders(db: Db): Promise<number> {
  const [n] = await rows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM ${STAGE}`));
  const windowDays = config().attributionWindowDays;
  const step = 20_000;
  for (let from = 0; from < n.n; from += step) {
    const input = sql`(SELECT * FROM ${sql.raw(STAGE)} WHERE seq > ${from} AND seq <= ${from + step})`;
    await db.execute(sql`
      INSERT INTO orders (order_id, customer_id, visitor_id, session_id, session_named, total, status, placed_at, items, currency, total_original)
      SELECT order_id, coalesce(customer_id, 'visitor:' || resolved_visitor, order_id),
             resolved_visitor, attributed_session, session_named, total, status, placed_at, items, ${config().currency}::text, total
      FROM (${attributionSelect(input, windowDays)}) att
      ORDER BY order_id`);
  }
  return n.n;
}
