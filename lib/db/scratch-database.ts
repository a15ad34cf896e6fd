import { openDb, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

/**
 * A throw-away PostgreSQL database on the server of `baseUrl`, for the test suites and the bench:
 * created (dropped first when it exists), migrated, and dropped again by `drop()` unless kept.
 * Only a local server is accepted, since this drops databases; the name must be a plain SQL
 * identifier because it is spliced into DDL.
 */

export type ScratchDatabase = { handle: DbHandle; url: string; drop: () => Promise<void> };

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** `baseUrl` with its database replaced by `name`, which must be a plain identifier (it is spliced into DDL). */
export function databaseUrlFor(baseUrl: string, name: string): URL {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name must be a lower-case SQL identifier: ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url;
}

export async function createScratchDatabase(
  baseUrl: string,
  name: string,
  opts: { keep?: boolean; variable: string },
): Promise<ScratchDatabase> {
  const url = databaseUrlFor(baseUrl, name);
  if (!LOCAL_HOSTS.has(url.hostname)) {
    throw new Error(`${opts.variable} must point at a local server, not ${url.hostname}: a scratch database is dropped afterwards`);
  }
  const { default: postgres } = await import("postgres");
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  // A pool like the app's (resolveOpenOptions uses 10) so concurrency in tests and bench is realistic.
  const handle = await openDb({ kind: "postgres", url: url.toString(), max: 10 });
  await migrate(handle);
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      if (!opts.keep) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
