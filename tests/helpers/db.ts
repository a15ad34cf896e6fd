import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import * as schema from "@/lib/db/schema";
import * as alertsSchema from "@/lib/db/schema-alerts";
import * as annotationsSchema from "@/lib/db/schema-annotations";
import * as forwardingSchema from "@/lib/db/schema-forwarding";
import * as moneySchema from "@/lib/db/schema-money";
import * as viewsSchema from "@/lib/db/schema-views";
import { openDb, setDbHandle, type DbHandle, type Driver } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createScratchDatabase } from "@/lib/db/scratch-database";

/**
 * Database suites run once per driver: always on in-memory PGlite, and also on PostgreSQL when
 * TEST_DATABASE_URL is set. Each suite on PostgreSQL gets a database of its own (created and
 * dropped here) so parallel files never see each other's rows; every test starts from empty
 * tables. Only a local server is accepted: these suites drop databases.
 */

export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/**
 * Every table of the schema files, so a new table can never be left out of the reset between
 * tests (tests/unit/schema-files.test.ts fails when a lib/db/schema-*.ts is missing here).
 */
export const SCHEMA_MODULES = { schema, alertsSchema, annotationsSchema, forwardingSchema, moneySchema, viewsSchema };
const TABLES = Object.values(SCHEMA_MODULES)
  .flatMap((m) => Object.values(m) as unknown[])
  .filter((v): v is PgTable => is(v, PgTable))
  .map((t) => `"${getTableName(t)}"`);

export async function truncateAll(handle: DbHandle): Promise<void> {
  await handle.db.execute(sql.raw(`TRUNCATE ${TABLES.join(", ")} RESTART IDENTITY CASCADE`));
}

export async function openTestDb(driver: Driver): Promise<DbHandle & { dispose: () => Promise<void> }> {
  if (driver === "pglite") {
    const handle = await openDb({ kind: "pglite" });
    await migrate(handle);
    return { ...handle, dispose: handle.close };
  }
  const name = `utmd_test_${randomBytes(6).toString("hex")}`;
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, name, { variable: "TEST_DATABASE_URL" });
  return { ...scratch.handle, dispose: scratch.drop };
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
