import { ANNOTATION_TEXT_MAX, listAnnotations, type Annotation } from "@/lib/analytics/annotations";
import { previousRange } from "@/lib/analytics/compare";
import { dateInZone } from "@/lib/analytics/params";
import { drawnRange, getTimeseries, nextBucket, type Timeseries } from "@/lib/analytics/timeseries";
import { config } from "@/lib/config";
import { Empty } from "@/app/components/States";
import { NavLink } from "../client/Pending";
import { AnnotationList } from "../client/Annotations";
import { TimeseriesChart } from "../client/TimeseriesChart";
import { load, type DashboardContext } from "../context";
import { compareRange, shiftDays } from "../presets";
import { CHART_METRICS, dashboardHref } from "../search-params";
import { db, orError } from "./shared";

/**
 * The time-series block: the server loads the buckets (hourly for a one-day range, SPEC 12) and,
 * when comparing, the previous period or the same dates a year earlier with the same interval;
 * the chart itself is a client @nivo/line (client/TimeseriesChart.tsx).
 */

/**
 * Which buckets are incomplete. Hourly: the hour holding `now` is partial and later hours have not
 * begun. Otherwise, at each end of the range: the FIRST bucket is partial when the range starts
 * after its calendar week or month does (a 365-day range starting on a Wednesday, "All time" from a
 * first session on the 14th); the LAST one when it holds today or its calendar bucket runs past the
 * range's end. A day bucket is never cut by the range.
 *
 * `range` is the range the series was drawn for: for "All time", the one starting at the first
 * session's date (`drawnRange`), not the API's 2000-01-01.
 */
export function incompleteBuckets(
  ts: Pick<Timeseries, "interval" | "points">,
  range: { start: string; end: string },
  today: string,
  now: Date,
): { partialBefore: number; partialFrom: number; futureFrom: number } {
  const n = ts.points.length;
  if (n === 0) return { partialBefore: 0, partialFrom: 0, futureFrom: 0 };
  if (ts.interval === "hour") {
    const t = now.getTime();
    const future = ts.points.findIndex((p) => new Date(p.date).getTime() > t);
    const futureFrom = future === -1 ? n : future;
    const last = ts.points[futureFrom - 1];
    const holdsNow = last !== undefined && new Date(last.date).getTime() + 3_600_000 > t;
    return { partialBefore: 0, partialFrom: holdsNow ? futureFrom - 1 : futureFrom, futureFrom };
  }
  const last = ts.points[n - 1].date;
  const partialLast = range.end >= today || nextBucket(last, ts.interval) > shiftDays(range.end, 1);
  const partialFirst = range.start > ts.points[0].date;
  return { partialBefore: partialFirst ? 1 : 0, partialFrom: partialLast ? n - 1 : n, futureFrom: n };
}

/**
 * The bucket an annotation's day falls in: for hours the first hour of that day, otherwise the
 * last bucket starting on or before it; -1 when none does.
 */
export function annotationBucket(points: readonly { date: string }[], interval: Timeseries["interval"], date: string, tz: string): number {
  if (interval === "hour") return points.findIndex((p) => dateInZone(new Date(p.date), tz) === date);
  let at = -1;
  for (let i = 0; i < points.length && points[i].date <= date; i++) at = i;
  return at;
}

/** The range the chart draws (All time from the first session): the API's own rule. */
export { drawnRange };

export function MetricTabs({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  return (
    <nav aria-label={t.blocks.timeseries} className="flex flex-wrap gap-1">
      {CHART_METRICS.map((m) => {
        const active = ctx.state.chart === m;
        return (
          <NavLink
            key={m}
            href={dashboardHref(ctx.basePath, ctx.params, { chart: m })}
            aria-current={active ? "true" : undefined}
            data-chart-metric={m}
            className={`rounded-md px-2.5 py-1 text-xs font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 data-[nav-pending]:animate-pulse ${active ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-600 hover:bg-slate-200"}`}
          >
            {t.m[m]}
          </NavLink>
        );
      })}
    </nav>
  );
}

export async function TimeseriesBlock({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  const s = t.dash;
  const r = await load(ctx, "timeseries", async () => {
    const handle = await db();
    // Annotations of the view's range and selection; a shared view gets no alert incidents.
    const [cur, drawn, annotations] = await Promise.all([
      getTimeseries(handle, ctx.q),
      drawnRange(handle, ctx.q),
      listAnnotations(handle, ctx.q, { incidents: !ctx.readOnly }).catch((): Annotation[] => []),
    ]);
    const mode = ctx.state.compareMode;
    // Same interval as the current series so the two lines align bucket by bucket.
    const prevRange = mode === "previous_year" ? compareRange(ctx.q.range, "previous_year") : previousRange(ctx.q.range);
    // A shared view draws no comparison outside its link's range (SPEC 16).
    const prev = mode && ctx.q.period !== "all" && ctx.allowsRange(prevRange) ? await getTimeseries(handle, { ...ctx.q, range: prevRange }, { interval: cur.interval }) : undefined;
    return { cur, prev, drawn, annotations };
  });
  return orError(r, ({ cur, prev, drawn, annotations }) => {
    const metric = ctx.state.chart;
    if (cur.points.length === 0 || (cur.points.every((p) => p[metric] === 0) && (!prev || prev.points.every((p) => p[metric] === 0)))) {
      return <Empty text={t.noData} />;
    }
    const { partialBefore, partialFrom, futureFrom } = incompleteBuckets(cur, drawn, ctx.q.today, ctx.q.now);
    const marks = annotations
      .map((a) => ({ index: annotationBucket(cur.points, cur.interval, a.date, ctx.q.tz), kind: a.kind, text: a.text }))
      .filter((a) => a.index >= 0);
    return (
      <>
      <TimeseriesChart
        points={cur.points}
        previous={prev?.points}
        metric={metric}
        interval={cur.interval}
        partialBefore={partialBefore}
        partialFrom={partialFrom}
        futureFrom={futureFrom}
        labels={{ ...t.m, current: t.current, previous: ctx.state.compareMode === "previous_year" ? s.compareModes.previous_year : t.previous, partial: s.partial }}
        locale={ctx.i18n.locale}
        currency={config().currency}
        timeZone={ctx.q.tz}
        ariaLabel={`${t.m[metric]}: ${cur.points.length}`}
        annotations={marks}
        annotationKinds={t.watch.kinds}
      />
      <AnnotationList
        annotations={annotations}
        canEdit={ctx.isAdmin}
        today={ctx.q.today}
        locale={ctx.i18n.locale}
        s={t.watch}
        dims={{ utm_source: t.dims.utm_source, utm_campaign: t.dims.utm_campaign }}
        textMax={ANNOTATION_TEXT_MAX}
      />
      </>
    );
  });
}
