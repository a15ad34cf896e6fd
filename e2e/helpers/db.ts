import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { E2E } from "./env";

/**
 * The e2e app's database, opened from the test process to set up (tokens) and to assert what the
 * app stored. With embedded PGlite the running app serves it on a local socket whose port is in
 * `<DATA_DIR>/pglite.server.json`; with E2E_DATABASE_URL it is that PostgreSQL.
 */
export function appDatabaseUrl(): string {
  if (E2E.databaseUrl) return E2E.databaseUrl;
  const file = path.join(E2E.dataDir, "pglite.server.json");
  let info: { port?: unknown };
  try {
    info = JSON.parse(readFileSync(file, "utf8")) as { port?: unknown };
  } catch {
    throw new Error(`${file} is missing: is the e2e app (npm start) serving its embedded database?`);
  }
  if (typeof info.port !== "number") throw new Error(`${file} has no port`);
  return `postgres://postgres@127.0.0.1:${info.port}/postgres`;
}

export type Sql = postgres.Sql;

/** Runs `fn` with a one-connection client and always closes it (the socket is shared with the app). */
export async function withAppDb<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = postgres(appDatabaseUrl(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
