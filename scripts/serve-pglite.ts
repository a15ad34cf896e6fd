import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { config, ConfigError } from "@/lib/config";
import { openDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { PgliteBusyError, writePgliteServer } from "@/lib/db/pglite-owner";
import { pgliteSocketPath, servePglite } from "@/lib/runtime/pglite-server";

/**
 * Serves the embedded database alone (no Next.js), e.g. to run `next dev` or the e2e suite by
 * hand against it: `npx tsx scripts/serve-pglite.ts`, then use the printed DATABASE_URL and
 * UTMD_PGLITE_SOCKET (a Unix socket in DATA_DIR, mode 0600). The CLI finds it on its own.
 * Ctrl+C closes PGlite cleanly.
 */
try {
  const cfg = config();
  const handle = await openDb({ kind: "pglite", dataDir: path.join(cfg.dataDir, "pglite") });
  await migrate(handle);
  const server = await servePglite((handle.db as unknown as { $client: PGlite }).$client, { socket: pgliteSocketPath(cfg.dataDir) });
  const remove = writePgliteServer(cfg.dataDir, { socket: server.socket, pid: process.pid });
  console.log(`DATABASE_URL=postgres://postgres@localhost/postgres UTMD_PGLITE_SOCKET=${server.socket}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    remove();
    await handle.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof PgliteBusyError ? err.message : `serve-pglite: ${(err as Error).message}`);
  process.exit(1);
}
