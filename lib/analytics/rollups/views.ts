import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { FILTER_KEYS, type Filters } from "../params";

/**
 * A view is what one set of cells answers: sessions grouped by nothing or by one session column,
 * or sessions' event kinds; under one filter set, in one time zone. Its key is canonical JSON, so
 * the same question asked with parameters in another order finds the same cells.
 */

export type ViewSpec = {
  /** attribution: the models' sums of the orders placed on each day (attribution-cells.ts). */
  kind: "sessions" | "events" | "attribution";
  /**
   * Sessions kind: the grouping column (a FILTER_COLUMNS value), several joined by "+" (the key is
   * then their JSON array), or null for one key "".
   */
  column: string | null;
  tz: string;
  filters: Filters;
  /** Attribution kind: the window of SPEC 3.3 in hours (another window credits other sessions). */
  windowHours?: number;
};

/** Views unused this long are dropped with their cells; at most MAX_VIEWS are kept. */
const IDLE_DAYS = 30;
const MAX_VIEWS = 500;

/** ROI and the spend audit: sessions per source, medium and campaign. */
export const SOURCE_MEDIUM_CAMPAIGN = "utm_source+utm_medium+utm_campaign";

export function viewKey(v: ViewSpec): string {
  const filters = FILTER_KEYS.flatMap((k) => {
    const f = v.filters[k];
    return f ? [[k, [...f.is].sort(), [...f.not].sort()]] : [];
  });
  const key: unknown[] = [1, v.kind, v.column, v.tz, filters];
  if (v.windowHours !== undefined) key.push(v.windowHours);
  return JSON.stringify(key);
}

/** key → id per database handle, looked up again (and the view's use recorded) after an hour. */
const memo = new WeakMap<Db, Map<string, { id: number; at: number }>>();
const MEMO_MS = 3_600_000;

export function forgetView(db: Db, v: ViewSpec): void {
  memo.get(db)?.delete(viewKey(v));
}

export async function viewId(db: Db, v: ViewSpec): Promise<number> {
  const key = viewKey(v);
  let known = memo.get(db);
  if (!known) memo.set(db, (known = new Map()));
  const hit = known.get(key);
  if (hit && Date.now() - hit.at < MEMO_MS) return hit.id;
  const id = await lookUp(db, key);
  known.set(key, { id, at: Date.now() });
  return id;
}

async function lookUp(db: Db, key: string): Promise<number> {
  const [found] = await rows<{ id: number; stale: boolean }>(
    db,
    sql`select id, last_used_at < now() - interval '1 day' as stale from rollup_views where key = ${key}`,
  );
  if (found) {
    if (found.stale) await rows(db, sql`update rollup_views set last_used_at = now() where id = ${found.id}`);
    return found.id;
  }
  // A new view: first make room (idle views and the oldest past the cap go, cells cascade).
  await rows(
    db,
    sql`delete from rollup_views where last_used_at < now() - make_interval(days => ${IDLE_DAYS})
          or id in (select id from rollup_views order by last_used_at desc offset ${MAX_VIEWS - 1})`,
  );
  const [made] = await rows<{ id: number }>(db, sql`insert into rollup_views (key) values (${key}) on conflict (key) do nothing returning id`);
  if (made) return made.id;
  const [again] = await rows<{ id: number }>(db, sql`select id from rollup_views where key = ${key}`);
  return again.id;
}
