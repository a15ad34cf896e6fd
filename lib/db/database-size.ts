import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";

/** Bytes the current database takes (PostgreSQL and PGlite alike), for seed-demo and the bench. */
export async function databaseBytes(db: Db): Promise<number> {
  const [r] = await rows<{ bytes: number }>(db, sql`select pg_database_size(current_database())::float8 as bytes`);
  return r?.bytes ?? 0;
}
