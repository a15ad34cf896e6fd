import { sql } from "drizzle-orm";
import { setFixedNow } from "@/lib/clock";
import { rows, type Db } from "@/lib/db/client";
import type { Realtime } from "@/lib/analytics/realtime";
import type { RouteHandler } from "./endpoints";
import { percentile } from "./percentiles";

/**
 * The realtime endpoint's timing (SPEC 20, docs/watch.md: p95 < 100 ms at 1M sessions). Its window
 * is the last 30 minutes, so the clock is set to the data set's last event: the window then
 * holds the data's busiest end whether the set was loaded now or kept (`--reuse`) from earlier.
 * Called through the route handler with a read token, plain and with the bench's one filter.
 */
export type RealtimeTiming = {
  at: Date;
  visitors: number;
  events: number;
  plain: { p50: number; p95: number };
  filtered: { p50: number; p95: number };
};

export async function benchRealtime(db: Db, opts: { token: string; filter: [string, string]; reps: number; warmups: number }): Promise<RealtimeTiming> {
  const [last] = await rows<{ at: Date | string | null }>(db, sql`select max(occurred_at) as at from events`);
  const at = last?.at ? new Date(last.at) : new Date();
  const handler = (await import("@/app/api/utm/realtime/route")).GET as RouteHandler;
  setFixedNow(at);
  try {
    let answer: Realtime | undefined;
    const time = async (qs: string) => {
      const call = async () => {
        const t0 = performance.now();
        const res = await handler(new Request(`http://bench.local/api/utm/realtime?${qs}`, { headers: { authorization: `Bearer ${opts.token}` } }), { params: Promise.resolve({}) });
        const body = (await res.json()) as Realtime;
        const dt = performance.now() - t0;
        if (res.status !== 200) throw new Error(`realtime answered ${res.status}`);
        answer ??= body;
        return dt;
      };
      for (let i = 0; i < opts.warmups; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < opts.reps; i++) times.push(await call());
      return { p50: percentile(times, 50), p95: percentile(times, 95) };
    };
    const plain = await time("");
    const seen = answer!;
    const filtered = await time(new URLSearchParams([opts.filter]).toString());
    return { at, visitors: seen.visitors, events: seen.events, plain, filtered };
  } finally {
    setFixedNow(undefined);
  }
}
