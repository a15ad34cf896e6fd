import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import { pct } from "./format";
import type { AnalyticsQuery } from "./params";
import { totalsView } from "./general-stats";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { sumCells } from "./rollups/sum";
import { FIGURE, reachedStep } from "./session-figures";

/**
 * Funnel (SPEC 4): a session reaches a step when it has that step or a later one, so counts
 * never rise. `funnel_step` is the furthest event step kept on the session (1 product_view,
 * 2 add_to_cart, 3 checkout_start); a converted session (a paid order) has reached every step.
 */

export const FUNNEL_STEPS = ["sessions", "product_view", "add_to_cart", "checkout_start", "purchase"] as const;
export type FunnelStep = { step: (typeof FUNNEL_STEPS)[number]; sessions: number; rate_from_start: number; rate_from_previous: number };
export type Funnel = { steps: FunnelStep[] };

export async function getFunnel(db: Db, q: AnalyticsQuery, opts: ReadOptions = {}): Promise<Funnel> {
  let counts: number[];
  if (await servedByCells(db, q.range, opts)) {
    const c = sumCells(await loadCells(db, totalsView(q), q.range, { visitors: false }));
    counts = [c.sessions, c.funnel1, c.funnel2, c.funnel3, c.conversions];
  } else counts = await rawCounts(db, q);
  return shapeFunnel(counts);
}

async function rawCounts(db: Db, q: AnalyticsQuery): Promise<number[]> {
  const [r] = await rows<{ c0: number; c1: number; c2: number; c3: number; c4: number }>(
    db,
    sql`select count(*)::int as c0,
               count(*) filter (where ${reachedStep(1)})::int as c1,
               count(*) filter (where ${reachedStep(2)})::int as c2,
               count(*) filter (where ${reachedStep(3)})::int as c3,
               ${FIGURE.conversions} as c4
        from sessions s where ${sessionWhere(q, "s")}`,
  );
  return [r.c0, r.c1, r.c2, r.c3, r.c4];
}

function shapeFunnel(counts: number[]): Funnel {
  return {
    steps: FUNNEL_STEPS.map((step, i) => ({
      step,
      sessions: counts[i],
      rate_from_start: pct(counts[i], counts[0]),
      // The first step is the base (100), or 0 when there is nothing to start from.
      rate_from_previous: i === 0 ? (counts[0] === 0 ? 0 : 100) : pct(counts[i], counts[i - 1]),
    })),
  };
}
