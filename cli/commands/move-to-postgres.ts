import { sql, type SQL } from "drizzle-orm";
import { config } from "@/lib/config";
import { openDb, rows, servedPgliteOptions, type Db, type DbHandle, type OpenOptions } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { readPgliteServer } from "@/lib/db/pglite-owner";
import { CACHE_TABLES } from "@/lib/db/schema";
import { progressBar } from "@/lib/runtime/progress";
import { action, CliError, stdout, type CliCommand, type Out } from "../context";

/**
 * `npm run utm -- move-to-postgres <DATABASE_URL> [--force]` (issue 14): copies the embedded
 * database (DATA_DIR/pglite, or the running app's socket) into an EMPTY PostgreSQL database:
 * migrates the target, copies every table of the public schema in foreign-key order in
 * primary-key (keyset) chunks, each chunk a JSON array read on one side and
 * `json_populate_recordset` on the other (types stay exact; generated columns are recomputed),
 * sets every serial/identity sequence past its column's maximum, verifies the row count of every
 * table, and prints how to start the app on PostgreSQL. A target holding any row is refused unless
 * --force, which empties it first.
 */

export type MoveResult = { tables: { table: string; rows: number }[]; rows: number; ms: number };
const CHUNK_ROWS = 2_000;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const raw = (s: string) => sql.raw(s);

type Table = { name: string; columns: string[]; key: string[] };

/** The public schema's tables, parents before children (foreign keys), with copyable columns and primary key. */
async function tablesInFkOrder(db: Db): Promise<Table[]> {
  const cols = await rows<{ t: string; c: string; pk: boolean }>(
    db,
    sql`select c.relname::text as t, a.attname::text as c,
          coalesce(a.attnum = any(i.indkey), false) as pk
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        left join pg_index i on i.indrelid = c.oid and i.indisprimary
        where c.relkind in ('r', 'p') and a.attgenerated = ''
        order by c.relname, a.attnum`,
  );
  const fks = await rows<{ child: string; parent: string }>(
    db,
    sql`select c.relname::text as child, p.relname::text as parent
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
        where k.contype = 'f' and k.conrelid <> k.confrelid`,
  );
  const byName = new Map<string, Table>();
  for (const r of cols) {
    const t = byName.get(r.t) ?? { name: r.t, columns: [], key: [] };
    t.columns.push(r.c);
    if (r.pk) t.key.push(r.c);
    byName.set(r.t, t);
  }
  const ordered: Table[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name) || path.has(name) || !byName.has(name)) return;
    path.add(name);
    for (const fk of fks) if (fk.child === name) visit(fk.parent, path);
    done.add(name);
    ordered.push(byName.get(name)!);
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered;
}

const countOf = async (db: Db, table: string) => (await rows<{ n: number }>(db, sql`select count(*)::float8 as n from ${raw(ident(table))}`))[0]?.n ?? 0;

export async function moveToPostgres(source: DbHandle, targetUrl: string, opts: { force?: boolean; out?: Out; chunkRows?: number } = {}): Promise<MoveResult> {
  const out = opts.out ?? stdout;
  const t0 = Date.now();
  const target = await openDb({ kind: "postgres", url: targetUrl, max: 2, description: "PostgreSQL (target)" });
  try {
    // Refuse a database that already holds rows in any of its tables (before migrating it).
    const existing = await tablesInFkOrder(target.db);
    const nonEmpty: string[] = [];
    for (const t of existing) if (!CACHE_TABLES.includes(t.name) && (await countOf(target.db, t.name)) > 0) nonEmpty.push(t.name);
    if (nonEmpty.length && !opts.force) {
      throw new CliError(`The target database is not empty (rows in ${nonEmpty.join(", ")}); pass --force to empty it and copy anyway`);
    }
    await migrate(source);
    await migrate(target);
    const all = await tablesInFkOrder(source.db);
    // Rows the migrations themselves insert (and --force's old rows) go: the copy brings them.
    await rows(target.db, sql`truncate ${raw(all.map((t) => ident(t.name)).join(", "))} restart identity cascade`);
    // The rollup cache is not copied: the target's own triggers mark the sessions copied into it.
    const tables = all.filter((t) => !CACHE_TABLES.includes(t.name));

    const counts = new Map<string, number>();
    for (const t of tables) counts.set(t.name, await countOf(source.db, t.name));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const bar = progressBar("move", total, "rows");
    let copied = 0;
    const chunk = opts.chunkRows ?? CHUNK_ROWS;
    try {
      for (const t of tables) {
        const cols = t.columns.map(ident).join(", ");
        const order = t.key.length ? t.key.map(ident).join(", ") : cols;
        let last: string | null = null;
        for (;;) {
          // Keyset on the primary key: (k1, k2) > the previous chunk's last key, read back as the table's row type.
          const after: SQL =
            last === null || !t.key.length
              ? sql``
              : sql`where (${raw(order)}) > (select ${raw(order)} from json_populate_record(null::${raw(ident(t.name))}, ${last}::json))`;
          const offset: SQL = !t.key.length && last !== null ? sql`offset ${Number(last)}` : sql``;
          type Chunk = { data: string | null; n: number; last: string | null };
          const [r]: Chunk[] = await rows<Chunk>(
            source.db,
            sql`select json_agg(x)::text as data, count(*)::int as n, (array_agg(row_to_json(x)))[count(*)]::text as last
                from (select ${raw(cols)} from ${raw(ident(t.name))} ${after} order by ${raw(order)} limit ${chunk} ${offset}) x`,
          );
          if (!r || !r.data || r.n === 0) break;
          await rows(
            target.db,
            sql`insert into ${raw(ident(t.name))} (${raw(cols)}) select ${raw(cols)} from json_populate_recordset(null::${raw(ident(t.name))}, ${r.data}::json)`,
          );
          copied += r.n;
          bar.update(copied);
          last = t.key.length ? r.last : String(Number(last ?? 0) + r.n);
          if (r.n < chunk) break;
        }
      }
    } finally {
      bar.stop();
    }

    // serial / identity columns: the next value follows the copied maximum.
    const seqs = await rows<{ t: string; c: string; seq: string }>(
      target.db,
      sql`select table_name::text as t, column_name::text as c, pg_get_serial_sequence(quote_ident(table_name), column_name)::text as seq
          from information_schema.columns where table_schema = 'public'
            and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
    );
    for (const s of seqs) {
      await rows(target.db, sql`select setval(${s.seq}::regclass, coalesce((select max(${raw(ident(s.c))}) from ${raw(ident(s.t))}), 0) + 1, false)`);
    }

    const result: MoveResult = { tables: [], rows: 0, ms: 0 };
    const wrong: string[] = [];
    for (const t of tables) {
      const want = counts.get(t.name) ?? 0;
      const got = await countOf(target.db, t.name);
      if (got !== want) wrong.push(`${t.name}: ${want} in PGlite, ${got} in PostgreSQL`);
      result.tables.push({ table: t.name, rows: got });
      result.rows += got;
    }
    if (wrong.length) throw new CliError(`Row counts differ after the copy: ${wrong.join("; ")}`);
    // Statistics of the copied tables, so the first reports plan for their real sizes (the
    // server's autovacuum would get there only after its next look).
    await target.db.execute(sql`ANALYZE`);
    result.ms = Date.now() - t0;
    for (const t of result.tables) out(`  ${t.table.padEnd(22)} ${t.rows.toLocaleString("en-US").padStart(12)} rows`);
    return result;
  } finally {
    await target.close();
  }
}

/** The embedded database: the running app's socket when it serves it, else DATA_DIR/pglite directly. */
function embeddedOptions(): OpenOptions {
  const dataDir = config().dataDir;
  const server = readPgliteServer(dataDir);
  if (server) return servedPgliteOptions(server, `PGlite (through the running app, pid ${server.pid})`);
  return { kind: "pglite", dataDir: `${dataDir}/pglite` };
}

const masked = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
};

export const moveToPostgresCommand: CliCommand = (program) => {
  program
    .command("move-to-postgres")
    .description("copy the embedded database (DATA_DIR/pglite) into an empty PostgreSQL database")
    .argument("<database-url>", "the target, postgres://user:password@host:5432/db (must be empty)")
    .option("--force", "empty a target that already holds rows, then copy", false)
    .action(
      action(async (url: string, opts: { force: boolean }) => {
        if (!/^postgres(ql)?:\/\//.test(url)) throw new CliError("The target must be a postgres:// or postgresql:// connection string");
        const source = await openDb(embeddedOptions());
        try {
          stdout(`Copying ${source.description} into ${masked(url)}...`);
          const r = await moveToPostgres(source, url, { force: opts.force });
          stdout(`Moved ${r.rows.toLocaleString("en-US")} rows in ${(r.ms / 1000).toFixed(1)} s; every table's row count verified.`);
          stdout("Start the app on PostgreSQL from now on (the embedded data directory is left as it was):");
          stdout(`  DATABASE_URL=${masked(url)} npm start`);
        } finally {
          await source.close();
        }
      }),
    );
};
