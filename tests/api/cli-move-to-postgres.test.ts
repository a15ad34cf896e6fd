import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moveToPostgres } from "@/cli/commands/move-to-postgres";
import { replaceCampaignMap } from "@/lib/analytics/campaign-map";
import { getBreakdown } from "@/lib/analytics/breakdown";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { createUtmLink, saveUtmRules } from "@/lib/analytics/utm-links";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createShareLink } from "@/lib/auth/share-links";
import { createUser } from "@/lib/auth/users";
import { openDb, rows, type Db, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createScratchDatabase, type ScratchDatabase } from "@/lib/db/scratch-database";
import { seedDemo } from "@/lib/demo/seed";
import { addCounters } from "@/lib/ingest/tracker-health";
import { claimSend } from "@/lib/reports/send-log";
import { addSubscription } from "@/lib/reports/subscriptions";
import { CACHE_TABLES } from "@/lib/db/schema";
import { createPgCluster, havePgBinaries, type PgCluster } from "../helpers/pg-cluster";

/**
 * Issue 14: `npm run utm -- move-to-postgres <url>` copies a PGlite data directory holding rows in
 * every table (demo data through ingestBatch, plus users, tokens, share links, subscriptions, a
 * send, campaign map, UTM links and rules, tracker counters) into a scratch PostgreSQL database
 * (TEST_DATABASE_URL's server, or a cluster of the test's own), and both sides then hold the same
 * row counts and answer general-stats and the sources breakdown the same; serial ids continue.
 */

const BASE = process.env.TEST_DATABASE_URL;
const CAN = !!BASE || havePgBinaries();
if (!CAN) console.log("tests/api/cli-move-to-postgres.test.ts skipped: no TEST_DATABASE_URL and no PostgreSQL 15 binaries");

const tableCounts = async (db: Db) => {
  const names = await rows<{ t: string }>(db, sql`select relname::text as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`);
  const out: Record<string, number> = {};
  // The rollup cache is not copied (each side fills its own): CACHE_TABLES.
  for (const { t } of names.filter((n) => !CACHE_TABLES.includes(n.t))) out[t] = (await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(`"${t}"`)}`))[0].n;
  return out;
};

describe.skipIf(!CAN)("move-to-postgres", () => {
  let dir = "";
  let source: DbHandle;
  let cluster: PgCluster | undefined;
  let target: ScratchDatabase;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "utmd-move-"));
    source = await openDb({ kind: "pglite", dataDir: path.join(dir, "pglite") });
    await migrate(source);
    const db = source.db;
    await seedDemo(db, { sessions: 150, days: 30, seed: 7 });
    const admin = await createUser(db, { email: "admin@example.com", password: "password-123", role: "admin" });
    await createApiToken(db, { name: "read", scopes: ["read"] });
    await createShareLink(db, { name: "agency", params: { period: "month" }, expires_in_days: 7 }, admin.id);
    await addSubscription(db, { email: "boss@example.com", period: "week" });
    await claimSend(db, { period: "week", periodStart: "2026-03-02", periodEnd: "2026-03-08", recipient: "boss@example.com" });
    await replaceCampaignMap(db, [{ utm_source: "google", platform_campaign: "Spring Sale", utm_campaign: "spring" }]);
    await saveUtmRules(db, { lowercase: true, allowed_sources: ["google"], allowed_mediums: ["cpc"] });
    await createUtmLink(db, { name: "spring", base_url: "https://shop.example.com/", utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" }, admin.id);
    await addCounters(db, [{ minute: "2026-03-01T10:00:00.000Z", kind: "bot", count: 2, last_at: "2026-03-01T10:00:31.000Z" }]);
    // Part three's tables: a day rate, an order in full (line, refund, landing touchpoint), a delivery, a pixel link.
    const { storeRates } = await import("@/lib/ingest/rates");
    const { ingestOrders } = await import("@/lib/ingest/orders");
    const { receiveDelivery } = await import("@/lib/integrations/deliveries");
    await storeRates(db, [{ date: "2026-03-01", currency: "USD", rate: 41 }], "api");
    await ingestOrders(db, {
      order_id: "move-1", total: 10, placed_at: "2026-03-02T10:00:00Z", items: [{ sku: "A", quantity: 1, price: 10 }],
      refunds: [{ refund_id: "move-r1", amount: 1, refunded_at: "2026-03-03T10:00:00Z" }], landing_url: "https://shop.example.com/?utm_source=x",
    });
    await receiveDelivery(db, { platform: "shopify", deliveryId: "move-d1", topic: "orders/create", shop: null }, async () => ({ outcome: "stored" }));
    await db.execute(sql`insert into order_links (order_id, session_id) select 'move-link', id from sessions order by id limit 1`);
    // Alerts, notes, saved views, forwarding and product costs (SPEC 18–20): one row each.
    await db.execute(sql`insert into notify_channels (kind, name, target) values ('slack', 'ops', 'https://hooks.slack.test/T/B/x')`);
    await db.execute(sql`insert into alert_rules (name, metric, condition, threshold) values ('drop', 'revenue', 'drop', 50)`);
    await db.execute(sql`insert into alert_rule_channels (rule_id, channel_id) select r.id, c.id from alert_rules r, notify_channels c`);
    await db.execute(sql`insert into alert_incidents (rule_id, metric, opened_at, summary) select id, 'revenue', '2026-03-02T10:00:00Z', 'Revenue −60 %' from alert_rules`);
    await db.execute(sql`insert into alert_deliveries (incident_id, channel_id, event) select i.id, c.id, 'open' from alert_incidents i, notify_channels c`);
    await db.execute(sql`insert into report_channel_subscriptions (channel_id, period) select id, 'week' from notify_channels`);
    await db.execute(sql`insert into annotations (date, text) values ('2026-03-02', 'Spring sale starts')`);
    await db.execute(sql`insert into saved_views (user_id, name, params) values (${admin.id}, 'google', '{"utm_source":"google"}'::jsonb)`);
    await db.execute(sql`insert into forward_destinations (destination, settings, secret_sealed, secret_hint) values ('meta', '{"pixel_id":"1"}'::jsonb, 'sealed', '1234')`);
    await db.execute(sql`insert into forward_outbox (destination, order_id, event_id) values ('meta', 'move-1', 'move-1')`);
    await db.execute(sql`insert into product_costs (sku, cost) values ('A', 4.5)`);
    if (!BASE) cluster = await createPgCluster("utmd-move-pg-");
    target = await createScratchDatabase(BASE ?? cluster!.url(), "utmd_move_test", { variable: "TEST_DATABASE_URL" });
  }, 180_000);

  afterAll(async () => {
    await target?.drop();
    await source?.close();
    cluster?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies every table, verified counts, equal report answers, serial ids continue", async () => {
    const before = await tableCounts(source.db);
    // Every table holds rows, so the copy is exercised on all of them.
    expect(Object.entries(before).filter(([, n]) => n === 0).map(([t]) => t)).toEqual([]);

    const r = await moveToPostgres(source, target.url, { out: (l) => lines.push(l), chunkRows: 64 });
    const after = await tableCounts(target.handle.db);
    expect(after).toEqual(before);
    expect(r.rows).toBe(Object.values(before).reduce((a, b) => a + b, 0));
    expect(lines.length).toBe(Object.keys(before).length);
    // Analyzed after the copy: the planner knows the sessions table's real size.
    const [st] = await rows<{ n: number }>(target.handle.db, sql`select reltuples::float8 as n from pg_class where relname = 'sessions'`);
    expect(st.n).toBe(before.sessions);

    const q = parseAnalyticsQuery(new URLSearchParams("period=all"));
    const stats = await getGeneralStats(source.db, q);
    expect(stats.sessions).toBe(before.sessions);
    expect(await getGeneralStats(target.handle.db, q)).toEqual(stats);
    expect(await getBreakdown(target.handle.db, q, "sources")).toEqual(await getBreakdown(source.db, q, "sources"));

    // setval: a new user gets the id after the copied maximum, not 1.
    const maxId = (await rows<{ m: number }>(target.handle.db, sql`select max(id)::int as m from users`))[0].m;
    const next = await createUser(target.handle.db, { email: "new@example.com", password: "password-123", role: "viewer" });
    expect(next.id).toBe(maxId + 1);
  });

  it("refuses a target that holds rows unless --force", async () => {
    await expect(moveToPostgres(source, target.url, { out: () => {} })).rejects.toThrow(/not empty.*--force/);
    const r = await moveToPostgres(source, target.url, { force: true, out: () => {} });
    expect(await tableCounts(target.handle.db)).toEqual(await tableCounts(source.db));
    expect(r.rows).toBeGreaterThan(0);
  });
});
