import path from "node:path";
import type { DbHandle } from "./client";

/**
 * Applies the drizzle-kit SQL migrations in drizzle/ with drizzle's own migrator for the handle's
 * driver: the same files, the same journal table, on PGlite and on PostgreSQL. Idempotent.
 */
export async function migrate(handle: DbHandle): Promise<void> {
  const migrationsFolder = path.join(process.cwd(), "drizzle");
  if (handle.driver === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(handle.db as never, { migrationsFolder });
  } else {
    const { migrate: run } = await import("drizzle-orm/postgres-js/migrator");
    await run(handle.db as never, { migrationsFolder });
  }
}
