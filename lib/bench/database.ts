import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDb, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

/**
 * A fresh, empty, migrated database for the bench: PGlite in a temp directory by default, or,
 * with DATABASE_URL, a database `utmd_bench` created (dropped first) on that same server. Only a
 * local server is accepted, since the bench drops a database.
 */

export type BenchDb = { handle: DbHandle; where: string; /** PostgreSQL only. */ url?: string; drop: () => Promise<void> };

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
export const BENCH_DB_NAME = "utmd_bench";

export async function freshDatabase(databaseUrl: string | undefined, keep: boolean, name = BENCH_DB_NAME): Promise<BenchDb> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error("--db-name must be a lower-case SQL identifier");
  if (!databaseUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), "utmd-bench-"));
    const dataDir = path.join(dir, "pglite");
    const handle = await openDb({ kind: "pglite", dataDir });
    await migrate(handle);
    return {
      handle,
      where: `PGlite (${dataDir})`,
      drop: async () => {
        await handle.close();
        if (!keep) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = new URL(databaseUrl);
  if (!LOCAL_HOSTS.has(base.hostname)) {
    throw new Error(`The bench drops and recreates a database; DATABASE_URL must point at a local server, not ${base.hostname}`);
  }
  const { default: postgres } = await import("postgres");
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  // A pool like the app's (resolveOpenOptions uses 10) so collect concurrency is realistic.
  const handle = await openDb({ kind: "postgres", url: url.toString(), max: 10 });
  await migrate(handle);
  return {
    handle,
    where: `PostgreSQL (${url.host}/${name})`,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      if (!keep) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
