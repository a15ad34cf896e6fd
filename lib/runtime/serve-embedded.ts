import type { PGlite } from "@electric-sql/pglite";
import { openDb, servedPgliteOptions } from "@/lib/db/client";
import { writePgliteServer } from "@/lib/db/pglite-owner";
import { startUpkeep } from "./embedded-upkeep";
import { pgliteSocketPath, servePglite } from "./pglite-server";

/** The embedded database as served by the process that owns it. */
export type ServedEmbedded = { socket: string; stop: () => Promise<void> };

/**
 * What every owner of the embedded database does to share it (`npm run dev`/`npm start`,
 * scripts/serve-pglite.ts): serve it on the Unix socket in DATA_DIR, tell `npm run utm` where
 * (DATA_DIR/pglite.server.json), and run autovacuum's work, which PGlite lacks
 * (embedded-upkeep.ts). stop() ends them in reverse, a running upkeep pass first; closing PGlite
 * itself stays with the caller.
 */
export async function serveEmbedded(pglite: PGlite, dataDir: string, log: (line: string) => void): Promise<ServedEmbedded> {
  const server = await servePglite(pglite, { socket: pgliteSocketPath(dataDir) });
  const socket = server.socket!;
  const removeInfo = writePgliteServer(dataDir, { socket, pid: process.pid });
  const upkeep = startUpkeep(() => openDb(servedPgliteOptions(server, "embedded upkeep")), { log });
  return {
    socket,
    stop: async () => {
      await upkeep.stop();
      await server.stop();
      removeInfo();
    },
  };
}
