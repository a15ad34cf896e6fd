import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { config, ConfigError } from "@/lib/config";
import { openDb, SERVED_PGLITE_URL } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { PgliteBusyError } from "@/lib/db/pglite-owner";
import { serveEmbedded } from "@/lib/runtime/serve-embedded";

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
  const served = await serveEmbedded((handle.db as unknown as { $client: PGlite }).$client, cfg.dataDir, (line) => console.log(`[serve-pglite] ${line}`));
  console.log(`DATABASE_URL=${SERVED_PGLITE_URL} UTMD_PGLITE_SOCKET=${served.socket}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await served.stop();
    await handle.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof PgliteBusyError ? err.message : `serve-pglite: ${(err as Error).message}`);
  process.exit(1);
}
