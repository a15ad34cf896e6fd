import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * PGlite is one process's database: two processes writing one data directory corrupt it. The
 * owner writes `pglite.lock` (its pid); a process that finds a live owner either goes through
 * the owner's socket (pglite.server.json, written by scripts/serve-pglite.ts) or stops with a
 * message saying what to do.
 */

export class PgliteBusyError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. ` +
        `Stop that process, or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "PgliteBusyError";
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export type PgliteLock = { release: () => void };

export function acquirePgliteLock(pgliteDir: string): PgliteLock {
  const parent = path.dirname(pgliteDir);
  mkdirSync(parent, { recursive: true });
  const file = path.join(parent, "pglite.lock");
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8").trim());
    if (pid !== process.pid && alive(pid)) throw new PgliteBusyError(pgliteDir, pid);
  }
  writeFileSync(file, String(process.pid));
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      if (readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
  return { release };
}

/** The owner's server: a Unix socket path (npm run dev / start, serve-pglite), or a TCP port. */
export type PgliteServerInfo = { socket?: string; port?: number; pid: number };

/** The running app's socket to the embedded database, if one is live. */
export function readPgliteServer(dataDir: string): PgliteServerInfo | undefined {
  const file = path.join(dataDir, "pglite.server.json");
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as PgliteServerInfo;
    const reachable = (typeof info.socket === "string" && info.socket.length > 0) || Number.isInteger(info.port);
    if (info.pid !== process.pid && alive(info.pid) && reachable) return info;
  } catch {
    /* unreadable: treat as absent */
  }
  return undefined;
}

export function writePgliteServer(dataDir: string, info: PgliteServerInfo): () => void {
  const file = path.join(dataDir, "pglite.server.json");
  writeFileSync(file, JSON.stringify(info));
  const remove = () => {
    try {
      rmSync(file);
    } catch {
      /* gone */
    }
  };
  process.once("exit", remove);
  return remove;
}
