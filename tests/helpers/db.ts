import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { sql } from "drizzle-orm";
import { openDb, setDbHandle, type DbHandle, type Driver } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

/**
 * Database suites run once per driver: always on in-memory PGlite, and also on PostgreSQL when
 * TEST_DATABASE_URL is set. Each suite on PostgreSQL gets a database of its own (created and
 * dropped here) so parallel files never see each other's rows; every test starts from empty
 * tables. Only a local server is accepted: these suites drop databases.
 */

export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

function assertLocal(url: string): URL {
  const u = new URL(url);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname)) {
    throw new Error(`TEST_DATABASE_URL must point at a local server, not ${u.hostname}`);
  }
  return u;
}

const TABLES = [
  "events",
  "orders",
  "customers",
  "sessions",
  "ad_spend",
  "api_tokens",
  "share_links",
  "report_sends",
  "report_subscriptions",
  "app_settings",
  "users",
];

export async function truncateAll(handle: DbHandle): Promise<void> {
  await handle.db.execute(sql.raw(`TRUNCATE ${TABLES.join(", ")} RESTART IDENTITY CASCADE`));
}

export async function openTestDb(driver: Driver): Promise<DbHandle & { dispose: () => Promise<void> }> {
  if (driver === "pglite") {
    const handle = await openDb({ kind: "pglite" });
    await migrate(handle);
    return { ...handle, dispose: handle.close };
  }
  const base = assertLocal(process.env.TEST_DATABASE_URL!);
  const name = `utmd_test_${randomBytes(6).toString("hex")}`;
  const { default: postgres } = await import("postgres");
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const handle = await openDb({ kind: "postgres", url: url.toString(), max: 10 });
  await migrate(handle);
  return {
    ...handle,
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * `describeDb("orders", (ctx) => { it(...) })`: the body runs once per driver with `ctx.handle`
 * set (and installed as the process handle, so code under test calling getDb() uses it).
 * The driver is in the suite name, so the test output says which one ran.
 */
export function describeDb(name: string, body: (ctx: { readonly handle: DbHandle; driver: Driver }) => void): void {
  for (const driver of drivers) {
    describe(`${name} [${driver}]`, () => {
      let handle: (DbHandle & { dispose: () => Promise<void> }) | undefined;
      const ctx = {
        driver,
        get handle(): DbHandle {
          if (!handle) throw new Error("database not open yet");
          return handle;
        },
      };
      beforeAll(async () => {
        handle = await openTestDb(driver);
        setDbHandle(handle);
      });
      beforeEach(async () => {
        setDbHandle(handle);
        await truncateAll(handle!);
      });
      afterAll(async () => {
        setDbHandle(undefined);
        await handle?.dispose();
      });
      body(ctx);
    });
  }
}
