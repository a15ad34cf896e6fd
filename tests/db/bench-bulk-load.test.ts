import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { databaseUrlFor } from "@/lib/db/scratch-database";
import { bulkLoadDemo } from "@/lib/demo/bulk-load";
import { generateDemo } from "@/lib/demo/generate";
import { seedDemo } from "@/lib/demo/seed";
import { refreshCustomers, refreshReturning, refreshSessionEventFacts, refreshSessionOrderFacts } from "@/lib/ingest/facts";
import { inTransaction } from "@/lib/ingest/sql-util";
import { describeDb } from "../helpers/db";

const NOW = new Date("2026-05-15T12:00:00Z");
// Small enough for PGlite, big enough for returning visitors, repeat customers and several chunks.
const OPTS = { sessions: 1_500, seed: 7, days: 45, now: NOW, maxRecords: 2_000 };

/** Every stored row of the data set as json text, in key order (insert-time stamps and serial ids left out). */
async function snapshot(db: Db) {
  const q = async (query: ReturnType<typeof sql>) => (await rows<{ j: string }>(db, query)).map((r) => r.j);
  return {
    sessions: await q(sql`SELECT to_jsonb(s)::text AS j FROM sessions s ORDER BY id`),
    events: await q(sql`SELECT to_jsonb(e)::text AS j FROM events e ORDER BY id`),
    orders: await q(sql`SELECT (to_jsonb(o) - 'created_at' - 'updated_at')::text AS j FROM orders o ORDER BY order_id`),
    customers: await q(sql`SELECT to_jsonb(c)::text AS j FROM customers c ORDER BY customer_id`),
    adSpend: await q(sql`SELECT (to_jsonb(a) - 'id')::text AS j FROM ad_spend a ORDER BY date, utm_source, utm_campaign`),
    indexes: await q(sql`SELECT indexdef AS j FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`),
    constraints: await q(sql`SELECT conname || ' ' || pg_get_constraintdef(oid) AS j FROM pg_constraint
                              WHERE connamespace = current_schema()::regnamespace ORDER BY conname`),
  };
}

describeDb("bench bulk loader", (ctx) => {
  /** On PostgreSQL the loader streams with COPY into this very database; on PGlite it inserts. */
  async function copyUrl(): Promise<string | undefined> {
    if (ctx.driver !== "postgres") return undefined;
    const [r] = await rows<{ name: string }>(ctx.handle.db, sql`SELECT current_database() AS name`);
    return databaseUrlFor(process.env.TEST_DATABASE_URL!, r.name).toString();
  }

  it("loads what the generator produced, and its facts equal a recomputation by lib/ingest/facts.ts", async () => {
    const db = ctx.handle.db;
    const chunks = [...generateDemo(OPTS)];
    const expected = {
      sessions: chunks.reduce((n, c) => n + c.sessions.length, 0),
      events: chunks.reduce((n, c) => n + c.events.length, 0),
      orders: chunks.reduce((n, c) => n + c.orders.length, 0),
    };
    expect(chunks.length).toBeGreaterThan(2);
    const indexesBefore = (await snapshot(db)).indexes;
    const res = await bulkLoadDemo(db, { ...OPTS, copyUrl: await copyUrl() });
    expect({ sessions: res.sessions, events: res.events, orders: res.orders }).toEqual(expected);
    const loaded = await snapshot(db);
    expect(loaded.indexes).toEqual(indexesBefore);
    expect(loaded.sessions).toHaveLength(1_500);

    // The facts as the ingestion code keeps them, recomputed from the stored rows.
    const ids = (await rows<{ id: string }>(db, sql`SELECT id::text AS id FROM sessions`)).map((r) => r.id);
    const visitors = (await rows<{ v: string }>(db, sql`SELECT DISTINCT visitor_id AS v FROM sessions`)).map((r) => r.v);
    const customers = (await rows<{ c: string }>(db, sql`SELECT DISTINCT customer_id AS c FROM orders`)).map((r) => r.c);
    await inTransaction(db, async (tx) => {
      await refreshSessionEventFacts(tx, ids);
      await refreshReturning(tx, visitors);
      await refreshSessionOrderFacts(tx, ids);
      await refreshCustomers(tx, customers);
    });
    const recomputed = await snapshot(db);
    expect(recomputed.sessions).toEqual(loaded.sessions);
    expect(recomputed.customers).toEqual(loaded.customers);

    // Not vacuous: the set has the facts being checked.
    const [f] = await rows<{ returning: number; converted: number; steps: number; customers: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE is_returning)::int AS returning, count(*) FILTER (WHERE paid_orders > 0)::int AS converted,
                 count(DISTINCT funnel_step)::int AS steps, (SELECT count(*)::int FROM customers) AS customers FROM sessions`,
    );
    expect(f.returning).toBeGreaterThan(100);
    expect(f.converted).toBeGreaterThan(10);
    expect(f.steps).toBe(4);
    expect(f.customers).toBeGreaterThan(10);
  }, 120_000);

  it("stores exactly the rows the ingestion path stores for the same seed", async () => {
    const db = ctx.handle.db;
    await bulkLoadDemo(db, { ...OPTS, copyUrl: await copyUrl() });
    const bulk = await snapshot(db);
    await db.execute(sql`TRUNCATE sessions, events, orders, customers, ad_spend RESTART IDENTITY CASCADE`);
    await seedDemo(db, OPTS);
    const ingested = await snapshot(db);
    expect(bulk.sessions).toEqual(ingested.sessions);
    expect(bulk.events).toEqual(ingested.events);
    expect(bulk.orders).toEqual(ingested.orders);
    expect(bulk.customers).toEqual(ingested.customers);
    expect(bulk.adSpend).toEqual(ingested.adSpend);
  }, 180_000);
});
