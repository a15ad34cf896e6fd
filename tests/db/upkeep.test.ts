import { afterEach, beforeEach, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDb, rows, type Db, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { upkeep, upkeepBetweenChunks, upkeepDue } from "@/lib/db/upkeep";
import { startUpkeep } from "@/lib/runtime/embedded-upkeep";

/**
 * Issue 14: autovacuum's work on the embedded database (lib/db/upkeep.ts), which has no
 * autovacuum of its own. PGlite only: on PostgreSQL every pooled connection reports its counters
 * on its own schedule, and the server's autovacuum does this work.
 *
 * Thresholds (PostgreSQL's defaults): VACUUM when dead > 50 + 0.2·reltuples or inserted since
 * the last vacuum > 1000 + 0.2·reltuples; ANALYZE when changed since the last analyze
 * > 50 + 0.1·reltuples, or when a non-empty table was never analyzed (reltuples -1).
 */

let handle: DbHandle;
beforeEach(async () => {
  handle = await openDb({ kind: "pglite" });
  await migrate(handle);
});
afterEach(async () => {
  await handle.close().catch(() => {});
});

/** The single backend's counters reach pg_stat_user_tables when it goes idle after this. */
async function flushStats(db: Db): Promise<void> {
  await db.execute(sql`select pg_stat_force_next_flush()`);
}

async function addUsers(db: Db, from: number, to: number): Promise<void> {
  await db.execute(sql`insert into users (email, password_hash, role)
    select 'u' || g || '@example.com', 'x', 'viewer' from generate_series(${from}::int, ${to}::int) g`);
}

async function deleteUsers(db: Db, from: number, to: number): Promise<void> {
  await db.execute(sql`delete from users where email in (select 'u' || g || '@example.com' from generate_series(${from}::int, ${to}::int) g)`);
}

async function usersStats(db: Db) {
  const [r] = await rows<{ reltuples: number; dead: number; changed: number; inserted: number }>(
    db,
    sql`select c.reltuples::float8 as reltuples, s.n_dead_tup::int as dead, s.n_mod_since_analyze::int as changed,
               s.n_ins_since_vacuum::int as inserted
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'users'`,
  );
  return r;
}

it("analyzes a table that was never analyzed once it holds rows, and leaves empty tables alone", async () => {
  const db = handle.db;
  // Freshly migrated: every table of the app is empty.
  expect(await upkeepDue(db)).toEqual([]);
  await addUsers(db, 1, 80);
  await flushStats(db);
  // 80 inserted ≤ 1000 + 0.2·0: no VACUUM; 80 changed > 50 + 0.1·0 = 50, and never analyzed: ANALYZE.
  expect(await upkeepDue(db)).toEqual([{ table: "users", vacuum: false, analyze: true }]);
  expect(await upkeep(db)).toEqual([{ table: "users", vacuum: false, analyze: true }]);
  await flushStats(db);
  expect(await usersStats(db)).toMatchObject({ reltuples: 80, changed: 0 });
  expect(await upkeepDue(db)).toEqual([]);
});

it("vacuums and analyzes at autovacuum's thresholds, each on its own", async () => {
  const db = handle.db;
  await addUsers(db, 1, 80);
  await flushStats(db);
  await upkeep(db);
  // reltuples 80: VACUUM past 50 + 16 = 66 dead, ANALYZE past 50 + 8 = 58 changed.
  await deleteUsers(db, 1, 20);
  await flushStats(db);
  // 20 dead ≤ 66, 20 changed ≤ 58.
  expect(await upkeepDue(db)).toEqual([]);
  await deleteUsers(db, 21, 60);
  await flushStats(db);
  // 60 dead ≤ 66, 60 changed > 58: ANALYZE only.
  expect(await upkeepDue(db)).toEqual([{ table: "users", vacuum: false, analyze: true }]);
  await upkeep(db);
  await flushStats(db);
  // 20 rows live: reltuples 20; the 60 dead rows are still there.
  expect(await usersStats(db)).toMatchObject({ reltuples: 20, dead: 60, changed: 0 });
  // Now VACUUM is due past 50 + 0.2·20 = 54 dead: 60 > 54; nothing changed since the analyze.
  expect(await upkeepDue(db)).toEqual([{ table: "users", vacuum: true, analyze: false }]);
  await upkeep(db);
  await flushStats(db);
  expect(await usersStats(db)).toMatchObject({ reltuples: 20, dead: 0 });
  expect(await upkeepDue(db)).toEqual([]);
});

it("vacuums after inserts alone (the visibility map of index-only scans)", async () => {
  const db = handle.db;
  await addUsers(db, 1, 80);
  await flushStats(db);
  await upkeep(db);
  // reltuples 80: VACUUM past 1000 + 16 = 1016 inserted; 1,000 more + the 80 before = 1,080.
  await addUsers(db, 81, 1080);
  await flushStats(db);
  expect(await usersStats(db)).toMatchObject({ inserted: 1080, dead: 0 });
  expect(await upkeepDue(db)).toEqual([{ table: "users", vacuum: true, analyze: true }]);
  await upkeep(db);
  await flushStats(db);
  expect(await usersStats(db)).toMatchObject({ reltuples: 1080, inserted: 0, changed: 0 });
});

it("runs in the background: a first pass at once, then on its timer; failures logged once; stop waits", async () => {
  const lines: string[] = [];
  await addUsers(handle.db, 1, 80);
  await flushStats(handle.db);
  const loop = startUpkeep(async () => handle, { everyMs: 20, log: (l) => lines.push(l) });
  // The pass at start finds the never-analyzed users table.
  expect(await loop.nextPass()).toEqual([{ table: "users", vacuum: false, analyze: true }]);
  await deleteUsers(handle.db, 1, 70);
  await flushStats(handle.db);
  // 70 dead > 50 + 0.2·80 = 66 and 70 changed > 58: the timer's next pass does both.
  let done = await loop.nextPass();
  if (done.length === 0) done = await loop.nextPass();
  expect(done).toEqual([{ table: "users", vacuum: true, analyze: true }]);
  await loop.stop();
  expect(lines).toEqual([]);

  let opens = 0;
  const broken = startUpkeep(
    async () => {
      opens++;
      throw new Error("socket gone");
    },
    { everyMs: 5, log: (l) => lines.push(l) },
  );
  while (opens < 3) await broken.nextPass();
  await broken.stop();
  expect(lines).toEqual(["database upkeep failed: socket gone (tried again in 0.005 s)"]);
});

it("between a long write's chunks: only once its interval has passed", async () => {
  const db = handle.db;
  await addUsers(db, 1, 80);
  await flushStats(db);
  const hourly = upkeepBetweenChunks(db, 3_600_000);
  await hourly();
  // Not an hour yet: users stays never analyzed.
  expect(await usersStats(db)).toMatchObject({ reltuples: -1 });
  const often = upkeepBetweenChunks(db, 0);
  await new Promise((r) => setTimeout(r, 5));
  await often();
  await flushStats(db);
  expect(await usersStats(db)).toMatchObject({ reltuples: 80, changed: 0 });
});
