import { sql } from "drizzle-orm";
import { rows, type DbHandle } from "./client";
import { databaseBytes } from "./database-size";

/**
 * When the embedded database (PGlite) has grown past the size where PostgreSQL answers the
 * reports clearly faster, the app says so in settings and at start and points at
 * `npm run utm -- move-to-postgres <DATABASE_URL>`. The threshold comes from the bench
 * (docs/scaling.md: PGlite vs PostgreSQL at 100k sessions on the same machine).
 */

/** Sessions past which PostgreSQL is clearly faster than PGlite (docs/scaling.md). */
export const EMBEDDED_SESSIONS_LIMIT = 100_000;

export type EmbeddedSize = { embedded: boolean; sessions: number; bytes: number; overLimit: boolean };

/** True when `handle` is the embedded database, in this process or through the running app's socket. */
export function isEmbedded(handle: Pick<DbHandle, "driver" | "description">): boolean {
  return handle.driver === "pglite" || handle.description.startsWith("PGlite");
}

export async function embeddedSize(handle: DbHandle): Promise<EmbeddedSize> {
  if (!isEmbedded(handle)) return { embedded: false, sessions: 0, bytes: 0, overLimit: false };
  const [r] = await rows<{ n: number }>(handle.db, sql`select count(*)::float8 as n from sessions`);
  const sessions = r?.n ?? 0;
  return { embedded: true, sessions, bytes: await databaseBytes(handle.db), overLimit: sessions > EMBEDDED_SESSIONS_LIMIT };
}

/** The start-up log line, or null when there is nothing to say. */
export function sizeWarningLine(s: EmbeddedSize): string | null {
  if (!s.overLimit) return null;
  const mb = Math.round(s.bytes / 1_048_576);
  return (
    `Warning: the embedded database holds ${s.sessions.toLocaleString("en-US")} sessions (${mb} MB), past ${EMBEDDED_SESSIONS_LIMIT.toLocaleString("en-US")} ` +
    `where PostgreSQL answers the reports clearly faster. Move it: stop the app, run \`npm run utm -- move-to-postgres postgres://user@host/db\`, ` +
    `then start with DATABASE_URL set (docs/scaling.md).`
  );
}
