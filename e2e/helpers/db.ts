import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { E2E } from "./env";

/**
 * The e2e app's database, opened from the test process to set up (tokens) and to assert what the
 * app stored. With embedded PGlite the running app serves it on a Unix socket whose path is in
 * `<DATA_DIR>/pglite.server.json`; with E2E_DATABASE_URL it is that PostgreSQL.
 */
export function appDatabase(): { url: string; path?: string } {
  if (E2E.databaseUrl) return { url: E2E.databaseUrl };
  const file = path.join(E2E.dataDir, "pglite.server.json");
  let info: { port?: unknown; socket?: unknown };
  try {
    info = JSON.parse(readFileSync(file, "utf8")) as { port?: unknown; socket?: unknown };
  } catch {
    throw new Error(`${file} is missing: is the e2e app (npm start) serving its embedded database?`);
  }
  // The owner serves a Unix socket (`<dir>/.s.PGSQL.5432`); postgres.js takes its directory as host.
  if (typeof info.socket === "string" && info.socket) {
    return { url: "postgres://postgres@localhost/postgres", path: info.socket };
  }
  if (typeof info.port !== "number") throw new Error(`${file} has no socket or port`);
  return { url: `postgres://postgres@127.0.0.1:${info.port}/postgres` };
}

export type Sql = postgres.Sql;

/** Runs `fn` with a one-connection client and always closes it (the socket is shared with the app). */
export async function withAppDb<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  const db = appDatabase();
  const sql = postgres(db.url, { max: 1, connect_timeout: 5, onnotice: () => {}, ...(db.path ? { path: db.path } : {}) });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
