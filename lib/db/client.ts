import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { config } from "@/lib/config";
import * as schema from "./schema";
import { acquirePgliteLock, readPgliteServer, type PgliteLock } from "./pglite-owner";

/**
 * One database handle for the whole process, on either driver:
 * - `DATABASE_URL` set: PostgreSQL through postgres.js;
 * - else, if a `npm run dev`/`npm start` process is serving the embedded database over its local
 *   socket (.data/pglite.server.json), postgres.js to that socket, so the CLI works while the
 *   server runs;
 * - else PGlite in this process on `.data/pglite`, guarded by a lock file so a second process can
 *   never open (and corrupt) the same data directory.
 * Both drizzle drivers share the PgDatabase type, so every query is written once.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Driver = "pglite" | "postgres";

export type DbHandle = {
  db: Db;
  driver: Driver;
  /** How this process reached the database, for log lines ("PostgreSQL", "PGlite ..."). */
  description: string;
  close: () => Promise<void>;
};

export type OpenOptions =
  | {
      kind: "postgres";
      url: string;
      max?: number;
      description?: string;
      /** A Unix socket to connect to instead of the URL's host (the embedded database's socket). */
      path?: string;
      /** Server-side bound on each statement (ms); the app's own handle sets it (SPEC 16). */
      statementTimeoutMs?: number;
    }
  /** dataDir undefined = in-memory PGlite (tests). */
  | { kind: "pglite"; dataDir?: string };

/**
 * How both drivers turn the two wide number types into JS values, set once per driver so a query
 * never casts for the driver's sake:
 * - int8 (count(*), sum of integers, bigint columns): a number when it is exact as one (every
 *   count and sum), else a bigint, so a 64-bit hash (sessions.visitor_key) keeps every bit. This is
 *   PGlite's own rule; postgres.js would give a string.
 * - numeric (money columns, sums of money, avg, round): a number, the nearest double, the same
 *   value `::float8` gave (both drivers would give a string). A query that needs the exact decimal
 *   text selects `::text`.
 * Dates and timestamps are left as the drizzle drivers set them (strings in raw rows on both).
 */
export function parseInt8(raw: string): number | bigint {
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : BigInt(raw);
}

export function parseNumeric(raw: string): number {
  return Number(raw);
}

/** A wait for a lock gives up sooner than a statement: a database stuck on locks answers 503 within 5 s (SPEC 16). */
const LOCK_TIMEOUT_MS = 4_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** What a pipeline connection offers: postgres.js's unsafe(), prepared. */
export type PipelineClient = { unsafe: (query: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };

const pipelines = new WeakMap<Db, () => PipelineClient>();

/**
 * A one-connection sibling of a postgres.js handle's pool, opened on first use and closed with
 * the handle: statements sent to it together go out at once and run in order on that one
 * connection (postgres.js pipelines on a pool of one; on the shared pool they would run side by
 * side on different connections). Undefined for PGlite. Chosen over postgres.js's reserve(),
 * which threw from a timer (a write on a closed socket) when the database went away.
 */
export function pipelineClientOf(db: Db): PipelineClient | undefined {
  return pipelines.get(db)?.();
}

export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  if (opts.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const options = {
      ...(opts.path ? { path: opts.path } : {}),
      // Fail fast when the server is gone so every request can answer 503 within 5 s (SPEC 10, 16).
      connect_timeout: 3,
      // postgres.js waits up to 20 s (exponential) before reconnecting after failures, and queued
      // queries wait with it: capped at 0.5 s so connect wait + backoff stays under 5 s.
      backoff: (retries: number) => Math.min(0.1 * retries, 0.5),
      idle_timeout: 30,
      connection: {
        // JIT compiled for 0.6–1.1 s before statements that then ran 20–80 ms (the day cells'
        // stamps over generated hour series, whose estimates pass jit_above_cost): at 10M
        // sessions it tripled the cell-read reports. Reports here are short; it stays off.
        jit: "off",
        ...(opts.statementTimeoutMs
          ? {
              statement_timeout: opts.statementTimeoutMs,
              lock_timeout: Math.min(opts.statementTimeoutMs, LOCK_TIMEOUT_MS),
              idle_in_transaction_session_timeout: 60_000,
            }
          : {}),
      },
      onnotice: () => {},
      // Serialized as postgres.js does by default ('' + value); parsed as on PGlite (above).
      types: {
        int8: { to: INT8_OID, from: [INT8_OID], serialize: (x: number | bigint) => String(x), parse: parseInt8 },
        numeric: { to: NUMERIC_OID, from: [NUMERIC_OID], serialize: (x: number) => String(x), parse: parseNumeric },
      },
    };
    const client = postgres(opts.url, { ...options, max: opts.max ?? 10 });
    const db = drizzle(client, { schema }) as unknown as Db;
    let one: ReturnType<typeof postgres> | undefined;
    const openPipeline = () => {
      const raw = postgres(opts.url, { ...options, max: 1 });
      // drizzle sets the client's serializers and parsers (json sent as given, dates as text):
      // the pipeline's statements then bind and read exactly as on the pool.
      drizzle(raw, { schema });
      return raw;
    };
    pipelines.set(db, () => (one ??= openPipeline()) as unknown as PipelineClient);
    return {
      db,
      driver: "postgres",
      description: opts.description ?? "PostgreSQL",
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), one?.end({ timeout: 5 })]);
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let lock: PgliteLock | undefined;
  if (opts.dataDir) lock = acquirePgliteLock(opts.dataDir);
  try {
    const parsers = { [INT8_OID]: parseInt8, [NUMERIC_OID]: parseNumeric };
    const client = opts.dataDir ? await PGlite.create(opts.dataDir, { parsers }) : await PGlite.create({ parsers });
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      driver: "pglite",
      description: opts.dataDir ? `PGlite (${opts.dataDir})` : "PGlite (in memory)",
      close: async () => {
        await client.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** The URL of the embedded database served over the wire (pglite-server.ts): PGlite's one user and database. */
export const SERVED_PGLITE_URL = "postgres://postgres@localhost/postgres";

/**
 * A connection to the embedded database served by the app's process: its Unix socket (the app),
 * or TCP on 127.0.0.1 (tests). One connection: the one backend would only queue a pool.
 */
export function servedPgliteOptions(server: { socket?: string; port?: number }, description: string): OpenOptions {
  return {
    kind: "postgres",
    ...(server.socket ? { url: SERVED_PGLITE_URL, path: server.socket } : { url: `postgres://postgres@127.0.0.1:${server.port}/postgres` }),
    max: 1,
    description,
  };
}

/** Where this process's database is, by the rules in the comment above. */
export function resolveOpenOptions(): OpenOptions {
  const cfg = config();
  if (cfg.databaseUrl) {
    // Set by npm run dev / npm start for Next.js: the embedded database's Unix socket path.
    const socket = process.env.UTMD_PGLITE_SOCKET;
    const viaSocket = !!socket;
    return {
      kind: "postgres",
      url: cfg.databaseUrl,
      ...(socket && socket !== "1" ? { path: socket } : {}),
      // The embedded database answers one connection at a time; a pool would only queue.
      max: viaSocket ? 1 : 10,
      description: viaSocket ? "PGlite (served by this app)" : "PostgreSQL",
    };
  }
  const server = readPgliteServer(cfg.dataDir);
  if (server) return servedPgliteOptions(server, `PGlite (through the running app, pid ${server.pid})`);
  return { kind: "pglite", dataDir: `${cfg.dataDir}/pglite` };
}

/** Longest statement the app server runs: STATEMENT_TIMEOUT_MS (SPEC 21, default 10 s). */
export const appStatementTimeoutMs = (): number => config().statementTimeoutMs;

const globalForDb = globalThis as unknown as { __utmdDb?: Promise<DbHandle> };

/** The process-wide handle, opened (and migrated, see migrate.ts) on first use. */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__utmdDb) {
    globalForDb.__utmdDb = (async () => {
      const opts = resolveOpenOptions();
      // The app's requests: a statement may run at most STATEMENT_TIMEOUT_MS; lock waits at most
      // 4 s (client.ts openDb), so with the 3 s connect timeout a database that is down or stuck
      // on a lock answers within 5 s (SPEC 16).
      // Not through the embedded database's socket (one backend shared with the CLI).
      const app = opts.kind === "postgres" && !process.env.UTMD_PGLITE_SOCKET && !opts.description?.startsWith("PGlite") ? { ...opts, statementTimeoutMs: appStatementTimeoutMs() } : opts;
      const handle = await openDb(app);
      const { migrate } = await import("./migrate");
      await migrate(handle);
      return handle;
    })();
    // A failed open (database down) must not stick: the next request tries again.
    globalForDb.__utmdDb.catch(() => {
      globalForDb.__utmdDb = undefined;
    });
  }
  return globalForDb.__utmdDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

const globalForRead = globalThis as unknown as { __utmdReadDb?: Promise<DbHandle> };

/**
 * The handle for analytics reads (reports, dashboard blocks, share views, the e-mail report):
 * a read replica when DATABASE_READ_URL is set, else the primary's handle itself. Writes and
 * whatever must read its own writes (sign-in, settings, ingestion, API tokens, share-link
 * verification) use getDb(). The replica is not migrated (it replays the primary's schema) and
 * gets the same statement timeout, so a replica that is down or stuck answers 503 like the
 * primary (the error mapper's isDbUnavailable).
 */
export function getReadDbHandle(): Promise<DbHandle> {
  const url = config().databaseReadUrl;
  if (!url) return getDbHandle();
  if (!globalForRead.__utmdReadDb) {
    globalForRead.__utmdReadDb = openDb({ kind: "postgres", url, max: 10, description: "PostgreSQL read replica", statementTimeoutMs: appStatementTimeoutMs() });
    globalForRead.__utmdReadDb.catch(() => {
      globalForRead.__utmdReadDb = undefined;
    });
  }
  return globalForRead.__utmdReadDb;
}

export async function getReadDb(): Promise<Db> {
  return (await getReadDbHandle()).db;
}

/** True when analytics reads go to a replica (DATABASE_READ_URL). */
export function hasReadReplica(): boolean {
  return !!config().databaseReadUrl;
}

/** For tests and commands that own the handle: make getDb() return this one. */
export function setDbHandle(handle: DbHandle | undefined): void {
  globalForDb.__utmdDb = handle ? Promise.resolve(handle) : undefined;
}

export async function closeDb(): Promise<void> {
  const h = globalForDb.__utmdDb;
  globalForDb.__utmdDb = undefined;
  const r = globalForRead.__utmdReadDb;
  globalForRead.__utmdReadDb = undefined;
  if (h) await (await h).close();
  if (r) await r.then((x) => x.close(), () => undefined);
}

/**
 * Runs raw SQL and returns its rows on either driver (postgres.js gives an array, PGlite
 * `{rows}`). Both drivers parse int8 and numeric the same way (openDb), so a count or a sum needs
 * no cast; `::text` still names what is a key (uuid, enum, date) rather than a figure.
 */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
