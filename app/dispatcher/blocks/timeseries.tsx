import Link from "next/link";
import { previousRange } from "@/lib/analytics/compare";
import { getTimeseries, type Timeseries } from "@/lib/analytics/timeseries";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { CHART_METRICS, hrefWith, type ChartMetric } from "../search-params";
import { db, orError } from "./shared";

/**
 * The time-series chart: a plain server-rendered SVG (no chart library shipped to the browser).
 * With `compare=1` the previous period is drawn dashed, aligned bucket by bucket.
 */

const W = 800;
const H = 240;
const PAD = { l: 48, r: 12, t: 12, b: 28 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function TimeseriesChart({
  data,
  previous,
  metric,
  t,
  fmt,
}: {
  data: Timeseries;
  previous?: Timeseries;
  metric: ChartMetric;
  t: Dict;
  fmt: Formatters;
}) {
  const pts = data.points;
  if (pts.length === 0 || pts.every((p) => p[metric] === 0) && (!previous || previous.points.every((p) => p[metric] === 0))) {
    return <Empty text={t.noData} />;
  }
  const values = pts.map((p) => p[metric]);
  const prevValues = previous?.points.map((p) => p[metric]) ?? [];
  const max = niceMax(Math.max(...values, ...prevValues));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const n = Math.max(pts.length, prevValues.length);
  const x = (i: number) => PAD.l + (n <= 1 ? iw / 2 : (i / (n - 1)) * iw);
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  const line = (vs: number[]) => vs.map((v, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const area = `${line(values)} L${x(values.length - 1).toFixed(1)},${PAD.t + ih} L${x(0).toFixed(1)},${PAD.t + ih} Z`;
  const fmtV = (v: number) => (metric === "revenue" ? fmt.moneyShort(v) : fmt.int(v));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(pts.length / 7));
  return (
    <figure className="-mx-4 overflow-x-auto sm:mx-0">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full min-w-[560px]" role="img" aria-label={`${t.m[metric]}: ${pts.length}`}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} stroke="#e2e8f0" strokeWidth={1} />
            <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" fontSize={13} fill="#64748b">
              {fmtV(v)}
            </text>
          </g>
        ))}
        <path d={area} fill="#6366f1" fillOpacity={0.08} />
        {previous ? <path d={line(prevValues)} fill="none" stroke="#94a3b8" strokeWidth={2} strokeDasharray="5 4" data-series="previous" /> : null}
        <path d={line(values)} fill="none" stroke="#4f46e5" strokeWidth={2.5} strokeLinejoin="round" data-series="current" />
        {pts.map((p, i) => (
          <g key={p.date}>
            <circle cx={x(i)} cy={y(p[metric])} r={pts.length > 60 ? 0 : 3} fill="#4f46e5">
              <title>{`${fmt.date(p.date)}: ${fmtV(p[metric])}`}</title>
            </circle>
            {i % labelEvery === 0 ? (
              <text x={x(i)} y={H - 8} textAnchor="middle" fontSize={13} fill="#64748b">
                {fmt.shortDate(p.date)}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-slate-500">
        <span className="inline-flex items-center gap-1.5">
          <span className="h-0.5 w-4 bg-indigo-600" aria-hidden="true" /> {t.current}
        </span>
        {previous ? (
          <span className="inline-flex items-center gap-1.5">
            <span className="h-0.5 w-4 border-t-2 border-dashed border-slate-400" aria-hidden="true" /> {t.previous}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

export function MetricTabs({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  return (
    <nav aria-label={t.blocks.timeseries} className="flex flex-wrap gap-1">
      {CHART_METRICS.map((m) => {
        const active = ctx.state.chart === m;
        return (
          <Link
            key={m}
            href={hrefWith(ctx.basePath, ctx.params, { chart: m === "sessions" ? null : m })}
            scroll={false}
            aria-current={active ? "true" : undefined}
            className={`rounded-md px-2.5 py-1 text-xs font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${active ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-600 hover:bg-slate-200"}`}
          >
            {t.m[m]}
          </Link>
        );
      })}
    </nav>
  );
}

export async function TimeseriesBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "timeseries", async () => {
    const handle = await db();
    const cur = await getTimeseries(handle, ctx.q);
    // Same interval as the current series so the two lines align bucket by bucket.
    const prev = ctx.state.compare && ctx.q.period !== "all" ? await getTimeseries(handle, { ...ctx.q, range: previousRange(ctx.q.range) }, { interval: cur.interval }) : undefined;
    return { cur, prev };
  });
  return orError(r, ({ cur, prev }) => <TimeseriesChart data={cur} previous={prev} metric={ctx.state.chart} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />);
}
