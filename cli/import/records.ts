import type { Db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { AppError } from "@/lib/errors";

/**
 * Sends records to the batch ingestion (the code behind POST /api/ingest/batch) in chunks of at
 * most 10,000 records, each chunk all-or-nothing. A failing chunk is reported with issue paths
 * relative to the whole file (`orders[12034].total`), and earlier chunks stay stored: ingestion
 * is idempotent by id, so re-running the import after fixing the file is safe.
 */

export const CHUNK_RECORDS = 5_000;
export type Counts = { sessions: number; events: number; orders: number };
export type BatchKey = keyof Counts;

export function addCounts(a: Counts, b: Counts): Counts {
  return { sessions: a.sessions + b.sessions, events: a.events + b.events, orders: a.orders + b.orders };
}

export const zeroCounts = (): Counts => ({ sessions: 0, events: 0, orders: 0 });

/** One chunk of one kind of record; `offset` is the index of its first record in the file. */
export async function ingestChunk(db: Db, key: BatchKey, records: unknown[], offset: number): Promise<Counts> {
  try {
    return await ingestBatch(db, { [key]: records });
  } catch (err) {
    if (err instanceof AppError && err.issues && offset > 0) {
      const issues = err.issues.map((i) => ({
        ...i,
        path: i.path.replace(new RegExp(`^${key}\\[(\\d+)\\]`), (_m, n: string) => `${key}[${offset + Number(n)}]`),
      }));
      const note = ` (this chunk from ${key}[${offset}]; earlier chunks were stored, re-running is safe)`;
      throw new AppError(err.code, err.message + note, issues, err.retryAfter);
    }
    throw err;
  }
}
