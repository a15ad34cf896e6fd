"use client";

import type { HeatMapSvgProps } from "@nivo/heatmap";
import dynamic from "next/dynamic";
import { type ComponentType, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { makeFormatters } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";

/**
 * The cohort heatmap (@nivo/heatmap, SVG): rows = cohorts, columns = period offsets, shading by
 * value, null cells (future buckets) blank. The chart is sized from its container (measured once
 * per resize) instead of nivo's responsive wrapper, so the render time from data to painted SVG
 * can be marked: performance measure "cohort-heatmap-render" (SPEC 9 budget: < 500 ms).
 */

export type HeatmapInput = {
  metric: "retention" | "orders" | "revenue" | "ltv" | "roas" | "margin" | "poas";
  rows: { id: string; label: string; values: (number | null)[] }[];
  columns: string[];
};

const ROW_H = 28;

/** Indigo shading from near-white (0) to deep (≥ max); nulls are drawn with emptyColor by nivo. */
function shade(value: number | null, max: number): string {
  if (value === null) return "#ffffff";
  const f = Math.max(0, Math.min(1, value / max));
  const from = [238, 242, 255];
  const to = [55, 48, 163];
  const c = from.map((a, i) => Math.round(a + (to[i] - a) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** SPEC 15: per cohort, the first column whose ROAS reaches 1 (paid back), or -1. */
export function paidBackColumns(rows: HeatmapInput["rows"]): number[] {
  return rows.map((r) => r.values.findIndex((v) => v !== null && v !== undefined && v >= 1));
}

// @nivo/heatmap in a chunk of its own, fetched after the page is interactive (issue 22): the box
// is server-rendered at its height and the cells are drawn once the chunk is there.
type Cell = { x: string; y: number | null; paid: boolean };
const HeatMap = dynamic(() => import("@nivo/heatmap").then((m) => m.HeatMap as ComponentType<HeatMapSvgProps<Cell, Record<never, never>>>), { ssr: false });

export function CohortHeatmap({ input, locale, currency, ariaLabel }: { input: HeatmapInput; locale: Locale; currency: string; ariaLabel: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const fmt = useMemo(() => makeFormatters(locale, currency), [locale, currency]);
  // Marks when this data arrived (once per input); the effect below measures to the painted cells.
  const started = useMemo(() => {
    if (typeof performance === "undefined" || input.rows.length === 0) return false;
    performance.mark("cohort-heatmap-start");
    return true;
  }, [input]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(560, el.clientWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!started || width === 0 || !ref.current) return;
    const el = ref.current;
    const id = requestAnimationFrame(() => {
      try {
        const m = performance.measure("cohort-heatmap-render", "cohort-heatmap-start");
        el.dataset.renderMs = m.duration.toFixed(1);
      } catch {
        // The start mark was cleared (another render): nothing to measure.
      }
    });
    return () => cancelAnimationFrame(id);
  }, [input, width, started]);

  // Payback on revenue (roas) or on margin (poas, SPEC 18): both a multiple of spend.
  const roas = input.metric === "roas" || input.metric === "poas";
  const paidAt = useMemo(() => (roas ? paidBackColumns(input.rows) : input.rows.map(() => -1)), [input, roas]);
  const data = useMemo(
    () =>
      input.rows.map((r, i) => ({
        id: r.label,
        data: input.columns.map((c, k) => ({ x: c, y: r.values[k] ?? null, paid: paidAt[i] === k })),
      })),
    [input, paidAt],
  );
  const format = (v: number) =>
    input.metric === "retention" ? `${fmt.num(v)}%` : input.metric === "orders" ? fmt.int(v) : roas ? `${fmt.num(v)}×` : fmt.moneyShort(v);
  const height = 40 + input.rows.length * ROW_H + 10;
  // Retention's column 0 is always 100 %: shading against it would wash out every later column.
  const scaleMax = useMemo(() => {
    let max = 0;
    for (const r of input.rows) r.values.forEach((v, k) => {
      if (v !== null && v !== undefined && !(input.metric === "retention" && k === 0)) max = Math.max(max, v);
    });
    return max || 1;
  }, [input]);

  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <div
        ref={ref}
        className="min-w-[560px]"
        data-heatmap
        data-rows={input.rows.length}
        data-paid-back={roas ? paidAt.join(",") : undefined}
        style={{ height }}
      >
        {width > 0 ? (
          <HeatMap
            data={data}
            width={width}
            height={height}
            margin={{ top: 40, right: 8, bottom: 10, left: 128 }}
            valueFormat={format}
            axisTop={{ tickSize: 0, tickPadding: 6, tickRotation: 0 }}
            axisLeft={{ tickSize: 0, tickPadding: 6 }}
            axisRight={null}
            axisBottom={null}
            colors={(cell) => shade(cell.value, scaleMax)}
            emptyColor="#ffffff"
            borderWidth={roas ? 2 : 1}
            borderColor={(cell) => (cell.data.paid ? "#047857" : "#f1f5f9")}
            label={(cell) => (cell.value === null ? "" : `${cell.data.paid ? "✓ " : ""}${cell.formattedValue ?? ""}`)}
            labelTextColor={(cell) => ((cell.value ?? 0) / scaleMax > 0.55 ? "#ffffff" : "#1e293b")}
            enableLabels={input.columns.length <= 16}
            animate={false}
            hoverTarget="cell"
            role="img"
            ariaLabel={ariaLabel}
            theme={{ text: { fontSize: 11, fill: "#334155" } }}
          />
        ) : null}
      </div>
    </div>
  );
}
