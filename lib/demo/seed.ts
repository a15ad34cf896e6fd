import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { upsertAdSpend } from "@/lib/analytics/ad-spend";
import { upkeepBetweenChunks } from "@/lib/db/upkeep";
import { ingestBatch } from "@/lib/ingest/batch";
import { generateDemo, type DemoAdSpend, type DemoOptions } from "./generate";

/**
 * Loads the demo / reference data set through the same ingestion code as the batch API, so the
 * maintained facts (returning, conversions, customers) are built exactly as in production.
 * Used by `npm run dev` on first start, `npm run utm -- seed-demo` and the bench.
 */

export type SeedProgress = { sessionsDone: number; sessionsTotal: number; records: number };
export type SeedResult = { sessions: number; events: number; orders: number; adSpendRows: number; ms: number };

export const DEFAULT_DEMO_SESSIONS = 20_000;

export async function seedDemo(
  db: Db,
  opts: DemoOptions & { onProgress?: (p: SeedProgress) => void },
): Promise<SeedResult> {
  const t0 = Date.now();
  const total = { sessions: 0, events: 0, orders: 0, adSpendRows: 0 };
  let records = 0;
  const upkeepDue = upkeepBetweenChunks(db);
  for (const chunk of generateDemo(opts)) {
    await upkeepDue();
    const { adSpend: spend, sessionsDone, ...body } = chunk;
    if (body.sessions.length + body.events.length + body.orders.length > 0) {
      const stored = await ingestBatch(db, body);
      total.sessions += stored.sessions;
      total.events += stored.events;
      total.orders += stored.orders;
      records += body.sessions.length + body.events.length + body.orders.length;
    }
    total.adSpendRows += await upsertDemoAdSpend(db, spend);
    opts.onProgress?.({ sessionsDone, sessionsTotal: opts.sessions, records });
  }
  return { ...total, ms: Date.now() - t0 };
}

/** Ad spend goes straight to its table through the one upsert (an existing key is replaced). */
async function upsertDemoAdSpend(db: Db, items: DemoAdSpend[]): Promise<number> {
  if (items.length) await upsertAdSpend(db, items);
  return items.length;
}

export async function hasSessions(db: Db): Promise<boolean> {
  const [r] = await rows<{ any: boolean }>(db, sql`select exists(select 1 from sessions) as any`);
  return Boolean(r?.any);
}
