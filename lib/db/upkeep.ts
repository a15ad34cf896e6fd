import { sql } from "drizzle-orm";
import { rows, type Db } from "./client";

/**
 * Autovacuum's work for the embedded database. PGlite runs PostgreSQL as one backend without the
 * autovacuum launcher, so nothing ever ANALYZEd or VACUUMed its tables: the planner kept the
 * estimates of empty tables and updated session rows piled up as dead tuples. Measured on a fresh
 * `npm start` (docs/performance.md): collect fell from 3,031 to 1,054 events/s within 35 s as
 * the tables grew; one ANALYZE brought it to 5,900.
 *
 * The process that owns PGlite therefore makes autovacuum's decision itself, with PostgreSQL's
 * default settings, and runs what is due (lib/runtime/embedded-upkeep.ts). PostgreSQL servers
 * run their own autovacuum, which this never replaces.
 */

/** PostgreSQL's autovacuum defaults (autovacuum_*_threshold and *_scale_factor). */
const AUTOVACUUM_DEFAULTS = {
  vacuumThreshold: 50,
  vacuumScale: 0.2,
  insertThreshold: 1000,
  insertScale: 0.2,
  analyzeThreshold: 50,
  analyzeScale: 0.1,
} as const;

export type TableUpkeep = { table: string; vacuum: boolean; analyze: boolean };

/**
 * The tables of the app's schema that autovacuum would VACUUM or ANALYZE now: dead tuples past
 * 50 + 20 % of the rows, rows inserted since the last vacuum past 1,000 + 20 % (the visibility map
 * that index-only scans need), or rows changed since the last analyze past 50 + 10 %. A table that
 * was never analyzed (reltuples -1) and is not empty is analyzed whatever its counters say: the
 * counters start again from zero when the database was not closed cleanly.
 */
export async function upkeepDue(db: Db): Promise<TableUpkeep[]> {
  const d = AUTOVACUUM_DEFAULTS;
  return rows<TableUpkeep>(
    db,
    sql`
    WITH t AS (
      SELECT s.relname::text AS name, greatest(c.reltuples, 0) AS n, c.reltuples < 0 AS never,
             s.n_dead_tup AS dead, s.n_ins_since_vacuum AS inserted, s.n_mod_since_analyze AS changed, c.oid
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema()
    ), due AS (
      SELECT name,
             dead > ${d.vacuumThreshold} + ${d.vacuumScale} * n OR inserted > ${d.insertThreshold} + ${d.insertScale} * n AS "vacuum",
             changed > ${d.analyzeThreshold} + ${d.analyzeScale} * n OR (never AND pg_relation_size(oid) > 0) AS "analyze"
      FROM t
    )
    SELECT name AS "table", "vacuum", "analyze" FROM due WHERE "vacuum" OR "analyze" ORDER BY name`,
  );
}

/** Runs what upkeepDue found: VACUUM (with ANALYZE when that is due too) or ANALYZE, table by table. */
async function runUpkeep(db: Db, due: readonly TableUpkeep[]): Promise<void> {
  for (const t of due) {
    const table = sql.identifier(t.table);
    if (t.vacuum) await db.execute(t.analyze ? sql`VACUUM (ANALYZE) ${table}` : sql`VACUUM ${table}`);
    else await db.execute(sql`ANALYZE ${table}`);
  }
}

/** One pass of autovacuum's work: what is due, done. Answers what was done. */
export async function upkeep(db: Db): Promise<TableUpkeep[]> {
  const due = await upkeepDue(db);
  await runUpkeep(db, due);
  return due;
}

/**
 * For a long write that holds the database itself chunk after chunk (seed-demo, `npm run utm --
 * import`): autovacuum's work between its chunks, at most every `everyMs`, never inside one.
 * Without it a load into a fresh embedded database slowed as its tables grew (500k demo sessions:
 * 158.3 s without, 138.2 s with). On PostgreSQL it mostly finds autovacuum was there first.
 */
export function upkeepBetweenChunks(db: Db, everyMs = 5_000): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last <= everyMs) return;
    await upkeep(db);
    last = Date.now();
  };
}
