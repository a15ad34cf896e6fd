import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A PostgreSQL 15 cluster of the test's own (never the shared server): initdb + pg_ctl on a free
 * port under /tmp, run as user postgres (the tests run as root), and a streaming replica of it
 * made with `pg_basebackup -R`. Suites skip (with a printed reason) only where the binaries are
 * missing.
 */

export const PG_BIN = "/usr/lib/postgresql/15/bin";
export const havePgBinaries = (): boolean => ["initdb", "pg_ctl", "pg_basebackup"].every((b) => existsSync(path.join(PG_BIN, b)));

export const asPostgres = (cmd: string, args: string[]) =>
  execFileSync("runuser", ["-u", "postgres", "--", path.join(PG_BIN, cmd), ...args], { stdio: "pipe", timeout: 120_000 });

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

export type PgCluster = {
  dir: string;
  port: number;
  url: (database?: string) => string;
  start: () => void;
  stop: () => void;
  /** Stops it (if running) and deletes its directory. */
  remove: () => void;
};

function cluster(dir: string, port: number): PgCluster {
  const data = path.join(dir, "data");
  const c: PgCluster = {
    dir,
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => {
      asPostgres("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=4 -c fsync=off`, "start"]);
    },
    stop: () => {
      asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    remove: () => {
      try {
        c.stop();
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}

const scratchDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
};

/** A new primary, started. initdb's trust pg_hba.conf already lets 127.0.0.1 replicate. */
export async function createPgCluster(prefix = "utmd-pg-"): Promise<PgCluster> {
  const dir = scratchDir(prefix);
  const c = cluster(dir, await freePort());
  asPostgres("initdb", ["-D", path.join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
  c.start();
  return c;
}

/** A streaming hot-standby replica of `primary` (pg_basebackup -R), started on its own port. */
export async function createStreamingReplica(primary: PgCluster, prefix = "utmd-replica-"): Promise<PgCluster> {
  const dir = scratchDir(prefix);
  const c = cluster(dir, await freePort());
  asPostgres("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", path.join(dir, "data"), "-R", "-X", "stream", "--no-sync"]);
  c.start();
  return c;
}
