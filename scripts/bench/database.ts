import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDb, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { createScratchDatabase, databaseUrlFor } from "@/lib/db/scratch-database";

/**
 * A fresh, empty, migrated database for the bench: PGlite in a temp directory by default, or,
 * with DATABASE_URL, a database `utmd_bench` created (dropped first) on that same server. Only a
 * local server is accepted, since the bench drops a database.
 */

export type BenchDb = { handle: DbHandle; where: string; /** PostgreSQL only. */ url?: string; drop: () => Promise<void> };

export const BENCH_DB_NAME = "utmd_bench";

export async function freshDatabase(databaseUrl: string | undefined, keep: boolean, name = BENCH_DB_NAME): Promise<BenchDb> {
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
  const scratch = await createScratchDatabase(databaseUrl, name, { keep, variable: "DATABASE_URL" });
  return { ...scratch, where: `PostgreSQL (${new URL(databaseUrl).host}/${name})` };
}

/** `--reuse`: the kept bench database `name` on the server of DATABASE_URL, as it is (migrated, not emptied). */
export async function existingDatabase(databaseUrl: string, name = BENCH_DB_NAME): Promise<BenchDb> {
  const url = databaseUrlFor(databaseUrl, name);
  // `?host=/dir/.s.PGSQL.5432`: a Unix socket, e.g. the embedded database served by a running
  // `npm start` (DATA_DIR/pglite.sock/…), so collect over HTTP can be counted on PGlite too.
  const socket = url.searchParams.get("host");
  url.searchParams.delete("host");
  const path = socket?.startsWith("/") ? socket : undefined;
  const handle = await openDb({ kind: "postgres", url: url.toString(), max: path ? 1 : 10, ...(path ? { path } : {}) });
  await migrate(handle);
  return { handle, where: `PostgreSQL (${url.host}/${name}, reused)`, url: url.toString(), drop: handle.close };
}
