import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as collect } from "@/app/api/collect/route";
import { GET as generalStats } from "@/app/api/utm/general-stats/route";
import { db as dashboardDb } from "@/app/dispatcher/blocks/shared";
import { getGeneralStats } from "@/lib/analytics/general-stats";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { createApiToken } from "@/lib/auth/api-tokens";
import { ConfigError, parseConfig } from "@/lib/config";
import { closeDb, openDb, rows, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { replicaLag, replicasBehind } from "@/lib/db/replica";
import { overrideConfig } from "../helpers/config";
import { call, eid, sid, type Handler } from "../helpers/ingest";
import { createPgCluster, createStreamingReplica, havePgBinaries, type PgCluster } from "../helpers/pg-cluster";

/**
 * Issue 14, read replica: the suite creates its own PostgreSQL 15 primary (initdb, pg_ctl on a free
 * port) and a streaming replica of it (pg_basebackup -R, another port), runs the app with
 * DATABASE_URL = primary and DATABASE_READ_URL = replica, writes sessions through /api/collect on
 * the primary, and shows the API (general-stats route handler) and the dashboard blocks' handle
 * reading from the replica: with replay paused on the replica, two more sessions written on the
 * primary are on the primary (5) and not in the answers (still 3) until replay resumes.
 */

it("DATABASE_READ_URL must be a postgres:// URL and needs DATABASE_URL", () => {
  const base = { NODE_ENV: "test" as const, AUTH_SECRET: "x".repeat(32), DATA_DIR: ".data/test" };
  expect(parseConfig({ ...base, DATABASE_URL: "postgres://a@h/db", DATABASE_READ_URL: "postgres://a@replica/db" }).databaseReadUrl).toBe("postgres://a@replica/db");
  expect(parseConfig({ ...base, DATABASE_URL: "postgres://a@h/db" }).databaseReadUrl).toBeUndefined();
  expect(() => parseConfig({ ...base, DATABASE_READ_URL: "postgres://a@replica/db" })).toThrow(ConfigError);
  expect(() => parseConfig({ ...base, DATABASE_URL: "postgres://a@h/db", DATABASE_READ_URL: "mysql://x" })).toThrow(/DATABASE_READ_URL/);
});

const HAVE = havePgBinaries();
if (!HAVE) console.log("tests/api/db-replica.test.ts skipped: no PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin");

describe.skipIf(!HAVE)("read replica (DATABASE_READ_URL)", () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let onPrimary: DbHandle;
  let onReplica: DbHandle;
  let readToken = "";
  let restoreConfig: (() => void) | undefined;

  const count = async (h: DbHandle) => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from sessions`))[0].n;
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const send = (n: number) =>
    call(collect as unknown as Handler, "/api/collect", {
      body: { event_id: eid(n), visitor_id: `visitor-${n}`, session_id: sid(n), type: "page_view", url: "https://shop.example.com/?utm_source=google&utm_medium=cpc" },
    });
  const apiSessions = async () => {
    const r = await call(generalStats as unknown as Handler, "/api/utm/general-stats?period=all", { method: "GET", headers: { authorization: `Bearer ${readToken}` } });
    return r.status === 200 ? (r.body as { sessions: number }).sessions : `HTTP ${r.status}`;
  };
  const dashboardSessions = async () => (await getGeneralStats(await dashboardDb(), parseAnalyticsQuery(new URLSearchParams("period=all")))).sessions;

  beforeAll(async () => {
    primary = await createPgCluster("utmd-primary-");
    onPrimary = await openDb({ kind: "postgres", url: primary.url(), max: 1 });
    await migrate(onPrimary);
    readToken = (await createApiToken(onPrimary.db, { name: "read", scopes: ["read"] })).token;
    replica = await createStreamingReplica(primary);
    onReplica = await openDb({ kind: "postgres", url: replica.url(), max: 1 });
    restoreConfig = overrideConfig({ DATABASE_URL: primary.url(), DATABASE_READ_URL: replica.url() });
    await closeDb();
  }, 180_000);

  afterAll(async () => {
    await closeDb();
    await onPrimary?.close();
    await onReplica?.close().catch(() => undefined);
    restoreConfig?.();
    replica?.remove();
    primary?.remove();
  });

  it("the API and the dashboard read the replica: with replay paused they keep the old figure while the primary has the new one", async () => {
    for (const n of [1, 2, 3]) expect((await send(n)).status).toBe(202);
    // 3 page views with 3 session ids = 3 sessions, written on the primary and replayed.
    expect(await count(onPrimary)).toBe(3);
    await waitFor("replay of 3 sessions", async () => (await count(onReplica)) === 3);
    expect(await apiSessions()).toBe(3);
    expect(await dashboardSessions()).toBe(3);
    expect(await replicasBehind(onPrimary.db)).toHaveLength(1);

    await rows(onReplica.db, sql`select pg_wal_replay_pause()`);
    await waitFor("replay paused", async () => (await rows<{ s: string }>(onReplica.db, sql`select pg_get_wal_replay_pause_state()::text as s`))[0].s === "paused");
    for (const n of [4, 5]) expect((await send(n)).status).toBe(202);
    // The primary holds 3 + 2 = 5; the replica received the WAL but has not replayed it.
    expect(await count(onPrimary)).toBe(5);
    await waitFor("WAL received but not replayed", async () => !(await replicaLag(onReplica.db)).caughtUp);
    const lag = await replicaLag(onReplica.db);
    expect(lag.inRecovery).toBe(true);
    expect(lag.replayBytes).toBeGreaterThan(0);
    expect(await apiSessions()).toBe(3);
    expect(await dashboardSessions()).toBe(3);

    await rows(onReplica.db, sql`select pg_wal_replay_resume()`);
    await waitFor("replay of 5 sessions", async () => (await count(onReplica)) === 5);
    await waitFor("caught up", async () => (await replicaLag(onReplica.db)).caughtUp);
    expect(await apiSessions()).toBe(5);
    expect(await dashboardSessions()).toBe(5);
    expect((await replicaLag(onReplica.db)).lagSeconds).toBe(0);
  });

  it("a replica that is down answers 503 (not 500) while the primary keeps ingesting", async () => {
    replica.stop();
    try {
      expect(await apiSessions()).toBe("HTTP 503");
      expect((await send(6)).status).toBe(202);
      expect(await count(onPrimary)).toBe(6);
    } finally {
      replica.start();
    }
    await waitFor("replay of 6 sessions", async () => (await count(onReplica)) === 6);
    expect(await apiSessions()).toBe(6);
  });
});
