import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { pipelineClientOf, rows, type Db, type PipelineClient } from "@/lib/db/client";
import { isRetryableConflict } from "@/lib/db/pg-errors";

/**
 * Set-based SQL helpers. Lists travel as ONE json text parameter (json_to_recordset /
 * json_array_elements_text) instead of thousands of bind parameters: it behaves the same on
 * PGlite and postgres.js and keeps a 10,000-record batch to a handful of statements.
 */

/** `ANY(<uuid[] | text[]>)` over a JS list, as one parameter. */
export function anyOf(values: readonly string[], type: "uuid" | "text"): SQL {
  const json = JSON.stringify(values);
  return type === "uuid"
    ? sql`ANY(ARRAY(SELECT json_array_elements_text(${json}::json))::uuid[])`
    : sql`ANY(ARRAY(SELECT json_array_elements_text(${json}::json)))`;
}

/** Unique, non-empty values. */
export function uniq(values: Iterable<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v) out.add(v);
  return [...out];
}

/**
 * One transaction, retried when PostgreSQL picks it as a deadlock victim: concurrent batches that
 * touch the same sessions in a different order are rare but must not surface as a 500.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => work(tx as unknown as Db));
    } catch (err) {
      if (attempt >= 4 || !isRetryableConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

const dialect = new PgDialect();

/** `query` as a named prepared statement on a postgres.js client. */
function sendPrepared(client: PipelineClient, query: SQL): Promise<unknown[]> {
  const q = dialect.sqlToQuery(query);
  return client.unsafe(q.sql, q.params, { prepare: true });
}

/**
 * Rows of a hot, repeated statement (collect runs two per flush). On postgres.js the statement is
 * sent as a named prepared statement: drizzle's execute() sends an unnamed one, which postgres.js
 * must describe before binding (two round trips and a fresh plan every time); prepared, it is one
 * round trip with a cached plan. Still only bind parameters. PGlite runs in-process: plain rows().
 */
export async function preparedRows<T>(db: Db, query: SQL): Promise<T[]> {
  const client = (db as unknown as { $client?: Partial<PipelineClient> }).$client;
  if (typeof client?.unsafe !== "function") return rows<T>(db, query);
  return (await sendPrepared(client as PipelineClient, query)) as T[];
}

/**
 * The rows of each statement, run one after the other, each in its own transaction as if sent
 * one by one (a later one sees what an earlier one committed; one failing does not stop the
 * others; the first error is thrown once all have run). On postgres.js they go out together on
 * the handle's one-connection pipeline client (lib/db/client.ts: one round trip instead of one
 * per statement); PGlite runs in-process, one by one.
 */
export async function preparedPipeline(db: Db, queries: readonly SQL[]): Promise<unknown[][]> {
  const one = pipelineClientOf(db);
  if (!one) {
    const settled: PromiseSettledResult<unknown[]>[] = [];
    for (const q of queries) {
      try {
        settled.push({ status: "fulfilled", value: await rows<unknown>(db, q) });
      } catch (reason) {
        settled.push({ status: "rejected", reason });
      }
    }
    return unwrap(settled);
  }
  return unwrap(await Promise.allSettled(queries.map((query) => sendPrepared(one, query))));
}

/**
 * The rows of each statement, all in ONE transaction: every statement or none, and one commit
 * (one WAL flush) for all of them. On postgres.js BEGIN, the statements and COMMIT go out
 * together on the handle's one-connection pipeline client (one round trip): a failing statement
 * aborts the transaction, so the later ones fail too and PostgreSQL answers the COMMIT with a
 * rollback; the first error is thrown. PGlite in-process: drizzle's transaction.
 *
 * Only the collect queue uses the pipeline client, one flush at a time, so nothing else can run
 * on that connection between BEGIN and COMMIT.
 */
export async function preparedTransaction(db: Db, queries: readonly SQL[]): Promise<unknown[][]> {
  const one = pipelineClientOf(db);
  if (!one) return db.transaction(async (tx) => {
    const out: unknown[][] = [];
    for (const q of queries) out.push(await rows<unknown>(tx as unknown as Db, q));
    return out;
  });
  const begin = one.unsafe("begin", [], { prepare: false });
  const sent = queries.map((query) => sendPrepared(one, query));
  const commit = one.unsafe("commit", [], { prepare: false });
  const settled = await Promise.allSettled([begin, ...sent, commit]);
  return unwrap(settled).slice(1, -1);
}

function unwrap(settled: PromiseSettledResult<unknown[]>[]): unknown[][] {
  for (const r of settled) if (r.status === "rejected") throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown[]>).value);
}
