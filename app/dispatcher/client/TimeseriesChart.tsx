"use client";

import type { LineCustomSvgLayerProps, LineSvgProps, SliceTooltipProps } from "@nivo/line";
import dynamic from "next/dynamic";
import type { ComponentType } from "react";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { makeFormatters } from "@/lib/i18n/format";
import type { TimeseriesPoint } from "@/lib/analytics/timeseries";
import type { Locale } from "@/lib/i18n/pick-locale";
import { CHART_METRICS, type ChartMetric } from "../search-params";
import { ANNOTATION_COLORS, AnnotationMarks, type ChartAnnotation } from "./AnnotationMarks";

/**
 * The time series (@nivo/line, like the cohort heatmap's @nivo): the chosen metric over the
 * buckets, a tooltip with every metric of the hovered bucket (and the previous period's value),
 * whole-number ticks for counts, a bucket the range does not cover whole drawn dashed and called
 * partial in its tooltip (the first one when the range starts inside its week or month; the last
 * one when it holds today or its week/month runs past the range), hours not yet begun left out,
 * and the previous period overlaid (grey, dashed) bucket by bucket. A fixed-height box: the server
 * render reserves the space and nothing shifts when the SVG is drawn.
 */

export const CHART_HEIGHT = 260;


// @nivo/line (with d3) in a chunk of its own, fetched after the page is interactive: the box above
// is server-rendered at its height, so nothing waits for the chart and nothing shifts (issue 22).
const Line = dynamic(() => import("@nivo/line").then((m) => m.Line as ComponentType<LineSvgProps<Series>>), { ssr: false });

/** A bucket as the API gives it: its date (an instant for hours) and every chart metric. */
export type ChartPoint = TimeseriesPoint;

export type TimeseriesChartProps = {
  points: ChartPoint[];
  previous?: ChartPoint[];
  metric: ChartMetric;
  interval: "hour" | "day" | "week" | "month";
  /** Buckets before this index are partial (1 when the range starts inside the first bucket); 0 when none. */
  partialBefore: number;
  /** Index of the first bucket drawn as partial (the last one when incomplete); points.length when none. */
  partialFrom: number;
  /** Index of the first bucket not yet begun (hourly "today"); points.length when none. */
  futureFrom: number;
  labels: Record<ChartMetric, string> & { current: string; previous: string; partial: string };
  locale: Locale;
  currency: string;
  timeZone: string;
  ariaLabel: string;
  /** Annotations placed on their buckets (SPEC 20): a marker each, listed in the bucket's tooltip. */
  annotations?: ChartAnnotation[];
  annotationKinds?: Record<ChartAnnotation["kind"], string>;
};

type Datum = { x: number; y: number | null };
type Series = { id: string; data: Datum[] };

/** Whole-number ticks (0, 1, 2 … or a nice step) for counts; 5 nice values for money. */
export function yTicks(max: number, integer: boolean): number[] {
  if (max <= 0) return [0, 1];
  if (integer && max <= 5) return Array.from({ length: Math.ceil(max) + 1 }, (_, i) => i);
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step0 = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const step = integer ? Math.max(1, Math.ceil(step0)) : step0;
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

export function TimeseriesChart(props: TimeseriesChartProps) {
  const { points, previous, metric, interval, partialBefore, partialFrom, futureFrom, labels, locale, currency, timeZone, ariaLabel } = props;
  const notes = props.annotations ?? [];
  const fmt = useMemo(() => makeFormatters(locale, currency, timeZone), [locale, currency, timeZone]);
  const tag = locale === "uk" ? "uk-UA" : "en-GB";
  const hourFmt = useMemo(() => new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", timeZone }), [tag, timeZone]);
  const monthFmt = useMemo(() => new Intl.DateTimeFormat(tag, { month: "short", year: "numeric", timeZone: "UTC" }), [tag]);
  const xLabel = (i: number) => {
    const d = points[i]?.date;
    if (!d) return "";
    if (interval === "hour") return hourFmt.format(new Date(d));
    if (interval === "month") return monthFmt.format(new Date(`${d}T00:00:00Z`));
    return fmt.shortDate(d);
  };
  const value = (m: ChartMetric, v: number) => (m === "revenue" ? fmt.money(v) : fmt.int(v));
  const integer = metric !== "revenue";

  const series = useMemo<Series[]>(() => {
    const y = (i: number) => (i >= futureFrom ? null : points[i][metric]);
    const out: Series[] = [];
    if (previous) out.push({ id: "previous", data: points.map((_, i) => ({ x: i, y: previous[i] ? previous[i][metric] : null })) });
    const solidEnd = Math.min(partialFrom, futureFrom);
    out.push({ id: "current", data: points.map((_, i) => ({ x: i, y: i >= partialBefore && i < solidEnd ? y(i) : null })) });
    // Each dashed segment reaches the nearest complete bucket so it joins the solid line: the
    // partial head runs to the first complete bucket, the partial tail from the last one.
    if (partialBefore > 0) {
      out.push({ id: "partial-first", data: points.map((_, i) => ({ x: i, y: i <= partialBefore && i < futureFrom ? y(i) : null })) });
    }
    if (partialFrom < Math.min(points.length, futureFrom)) {
      out.push({ id: "partial", data: points.map((_, i) => ({ x: i, y: i >= partialFrom - 1 && i < futureFrom ? y(i) : null })) });
    }
    return out;
  }, [points, previous, metric, partialBefore, partialFrom, futureFrom]);

  const max = Math.max(1, ...points.slice(0, futureFrom).map((p) => p[metric]), ...(previous ?? []).slice(0, points.length).map((p) => p[metric]));
  const ticks = yTicks(max, integer);
  const n = points.length;
  const hasPartial = partialBefore > 0 || partialFrom < n;
  // The box's own width, measured here rather than by nivo's ResponsiveLine: its zero-width
  // wrapper made the tooltip always open to the left of the cursor, off the screen over the
  // first buckets (the partial one's tooltip could not be read). Nothing is drawn before the
  // first measure, as ResponsiveLine did.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // As many date labels as fit (about one per 80 px): 6 on a laptop, 3–4 on a phone.
  const labels0 = Math.max(2, Math.min(6, Math.floor(width / 80)));
  const every = Math.max(1, Math.ceil(n / labels0));
  const xTicks = points.map((_, i) => i).filter((i) => i % every === 0);

  const Lines = ({ series: computed, lineGenerator }: LineCustomSvgLayerProps<Series>) => (
    <g>
      {computed.map((s) => {
        const pts = s.data.filter((d) => d.position.y !== null && d.data.y !== null).map((d) => ({ x: d.position.x, y: d.position.y }));
        const dashed = s.id !== "current";
        return (
          <path
            key={s.id}
            d={lineGenerator(pts) ?? ""}
            fill="none"
            stroke={s.id === "previous" ? "#94a3b8" : "#4f46e5"}
            strokeWidth={s.id === "previous" ? 2 : 2.5}
            strokeDasharray={dashed ? "6 5" : undefined}
            data-series={s.id}
          />
        );
      })}
    </g>
  );

  const Tooltip = ({ slice }: SliceTooltipProps<Series>) => {
    const i = Number(slice.points[0]?.data.x ?? 0);
    const p = points[i];
    if (!p) return null;
    const prev = previous?.[i];
    return (
      <div className="min-w-44 rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg" data-chart-tooltip>
        <div className="mb-1 font-semibold text-slate-800">
          {interval === "hour" ? `${fmt.dateTime(p.date)}` : fmt.date(p.date)}
          {i < partialBefore || i >= partialFrom ? <span className="ml-1 font-normal text-amber-700">({labels.partial})</span> : null}
        </div>
        <table className="w-full">
          <tbody>
            {CHART_METRICS.map((m) => (
              <tr key={m} className={m === metric ? "font-semibold text-indigo-700" : "text-slate-600"}>
                <td className="pr-3">{labels[m]}</td>
                <td className="text-right tabular-nums">{value(m, p[m])}</td>
              </tr>
            ))}
            {prev ? (
              <tr className="text-slate-500">
                <td className="pr-3 pt-1">{labels.previous}</td>
                <td className="pt-1 text-right tabular-nums">{value(metric, prev[metric])}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {notes.filter((a) => a.index === i).map((a, k) => (
          <p key={k} className="mt-1 max-w-64 border-t border-slate-100 pt-1 text-slate-700" data-tooltip-annotation={a.kind}>
            <span className="mr-1 font-semibold" style={{ color: ANNOTATION_COLORS[a.kind] }}>
              {props.annotationKinds?.[a.kind] ?? a.kind}:
            </span>
            {a.text}
          </p>
        ))}
      </div>
    );
  };

  return (
    <figure className="m-0">
      <div
        ref={box}
        style={{ height: CHART_HEIGHT }}
        data-chart="timeseries"
        data-points={n}
        data-interval={interval}
        data-partial={hasPartial ? "true" : undefined}
        data-partial-first={partialBefore > 0 ? "true" : undefined}
        data-partial-last={partialFrom < n ? "true" : undefined}
        data-annotations={notes.length || undefined}
        role="img"
        aria-label={ariaLabel}
      >
        {width > 0 ? (
          <Line
            width={width}
            height={CHART_HEIGHT}
            data={series}
            xScale={{ type: "point" }}
            yScale={{ type: "linear", min: 0, max: ticks[ticks.length - 1] }}
            margin={{ top: 12, right: 16, bottom: 30, left: metric === "revenue" ? 72 : 44 }}
            curve="monotoneX"
            enableArea={false}
            enablePoints={width / Math.max(1, n) >= 14}
            pointSize={5}
            pointColor="#4f46e5"
            colors={(s) => (s.id === "previous" ? "#94a3b8" : "#4f46e5")}
            enableGridX={false}
            gridYValues={ticks}
            axisLeft={{ tickValues: ticks, tickSize: 0, tickPadding: 6, format: (v) => (metric === "revenue" ? fmt.moneyShort(Number(v)) : fmt.int(Number(v))) }}
            axisBottom={{ tickValues: xTicks, tickSize: 0, tickPadding: 8, format: (v) => xLabel(Number(v)) }}
            enableSlices="x"
            sliceTooltip={Tooltip}
            layers={["grid", "axes", AnnotationMarks(notes, props.annotationKinds), Lines, "points", "slices", "crosshair"]}
            animate={false}
            theme={{ text: { fontSize: 12, fill: "#64748b" }, grid: { line: { stroke: "#e2e8f0" } } }}
          />
        ) : null}
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-slate-500">
        <span className="inline-flex items-center gap-1.5">
          <span className="h-0.5 w-4 bg-indigo-600" aria-hidden="true" /> {labels.current}
        </span>
        {hasPartial ? (
          <span className="inline-flex items-center gap-1.5">
            <span className="h-0.5 w-4 border-t-2 border-dashed border-indigo-600" aria-hidden="true" /> {labels.partial}
          </span>
        ) : null}
        {previous ? (
          <span className="inline-flex items-center gap-1.5">
            <span className="h-0.5 w-4 border-t-2 border-dashed border-slate-400" aria-hidden="true" /> {labels.previous}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
