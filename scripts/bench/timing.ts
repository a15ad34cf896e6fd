import { BENCH_ENDPOINTS, type BenchEndpoint, type RouteHandler } from "./endpoints";
import { percentile } from "./percentiles";

/** Times each endpoint's route handler (after warm-ups), plain and with one filter. */

export type EndpointTiming = {
  name: string;
  plain?: { p50: number; p95: number };
  filtered?: { p50: number; p95: number };
  /** Heavy (streamed) endpoints only: the largest growth of this process's RSS during a call, MB. */
  rssGrowthMb?: number;
  error?: string;
};

export type TimingOptions = {
  token: string;
  period: string;
  filter: [string, string];
  reps: number;
  warmups: number;
  sessionId: string;
  campaign: string;
  /** Bench names to time; all when absent. */
  only?: ReadonlySet<string>;
  onProgress?: (name: string) => void;
};

/** Reads the whole body (JSON or a CSV stream) chunk by chunk, as a client would, without keeping it. */
async function drain(res: Response): Promise<number> {
  if (!res.body) return 0;
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

async function once(handler: RouteHandler, url: string, token: string, params: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const res = await handler(new Request(url, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve(params) });
  await drain(res);
  const dt = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return dt;
}

/** Samples the RSS every 10 ms while `work` runs; answers the peak growth over the start, MB. */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return (peak - start) / 1024 / 1024;
}

async function series(ep: BenchEndpoint, handler: RouteHandler, opts: TimingOptions, filtered: boolean) {
  const sp = new URLSearchParams({ period: opts.period });
  for (const [k, v] of Object.entries(ep.query ?? {})) sp.set(k, v === "{campaign}" ? opts.campaign : v);
  if (filtered) sp.set(opts.filter[0], opts.filter[1]);
  const path = ep.path.replace("{id}", opts.sessionId);
  const url = `http://bench.local/api/utm/${path}?${sp}`;
  const params = ep.params?.({ sessionId: opts.sessionId }) ?? {};
  const reps = ep.heavy ? Math.min(opts.reps, 5) : opts.reps;
  for (let i = 0; i < (ep.heavy ? 1 : opts.warmups); i++) await once(handler, url, opts.token, params);
  const times: number[] = [];
  let rssGrowthMb = 0;
  for (let i = 0; i < reps; i++) {
    const call = () => once(handler, url, opts.token, params).then((dt) => times.push(dt));
    if (ep.heavy) rssGrowthMb = Math.max(rssGrowthMb, await rssGrowth(call));
    else await call();
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), rssGrowthMb };
}

export async function timeEndpoints(opts: TimingOptions): Promise<EndpointTiming[]> {
  const out: EndpointTiming[] = [];
  for (const ep of BENCH_ENDPOINTS) {
    if (opts.only && !opts.only.has(ep.name)) continue;
    opts.onProgress?.(ep.name);
    try {
      const mod = await ep.load();
      const handler = mod.GET as RouteHandler;
      const { rssGrowthMb: plainRss, ...plainTimes } = await series(ep, handler, opts, false);
      const { rssGrowthMb: filteredRss, ...filteredTimes } = await series(ep, handler, opts, true);
      out.push({
        name: ep.name,
        plain: plainTimes,
        filtered: filteredTimes,
        ...(ep.heavy ? { rssGrowthMb: Math.max(plainRss, filteredRss) } : {}),
      });
    } catch (err) {
      out.push({ name: ep.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
