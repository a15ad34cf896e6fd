"use client";

import type { BarTooltipProps, ResponsiveBarSvgProps } from "@nivo/bar";
import dynamic from "next/dynamic";
import { type ComponentType, useMemo } from "react";
import { makeFormatters } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";

/**
 * The funnel as a horizontal bar chart (@nivo/bar, like the other charts): one bar per step,
 * labelled with its sessions and share of the first step; the tooltip adds the rate from the
 * previous step. Fixed height (one row per step): no layout shift when it hydrates.
 */
export type FunnelStepDatum = { step: string; label: string; sessions: number; rate_from_start: number; rate_from_previous: number };

const ROW = 44;

// @nivo/bar in a chunk of its own, fetched after the page is interactive (issue 22).
type Bar = FunnelStepDatum & { id: string };
const ResponsiveBar = dynamic(() => import("@nivo/bar").then((m) => m.ResponsiveBar as ComponentType<ResponsiveBarSvgProps<Bar>>), { ssr: false });

export function FunnelChart({ steps, locale, currency, fromPrevious, ariaLabel }: { steps: FunnelStepDatum[]; locale: Locale; currency: string; fromPrevious: string; ariaLabel: string }) {
  const fmt = useMemo(() => makeFormatters(locale, currency), [locale, currency]);
  // nivo draws horizontal bars bottom-up: reverse so the first step is on top.
  const data = useMemo(() => [...steps].reverse().map((s) => ({ ...s, id: s.label })), [steps]);
  const byLabel = new Map(steps.map((s) => [s.label, s]));
  const Tooltip = ({ indexValue }: BarTooltipProps<(typeof data)[number]>) => {
    const s = byLabel.get(String(indexValue));
    if (!s) return null;
    return (
      <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg">
        <div className="font-semibold text-slate-800">{s.label}</div>
        <div className="tabular-nums text-slate-700">
          {fmt.int(s.sessions)} · {fmt.pct(s.rate_from_start)}
        </div>
        <div className="tabular-nums text-slate-500">
          {fmt.pct(s.rate_from_previous)} {fromPrevious}
        </div>
      </div>
    );
  };
  return (
    <div style={{ height: steps.length * ROW + 16 }} data-chart="funnel" role="img" aria-label={ariaLabel}>
      <ResponsiveBar
        data={data}
        keys={["sessions"]}
        indexBy="label"
        layout="horizontal"
        margin={{ top: 4, right: 12, bottom: 4, left: 112 }}
        padding={0.28}
        colors={["#a5b4fc"]}
        borderRadius={4}
        enableGridY={false}
        axisBottom={null}
        axisLeft={{ tickSize: 0, tickPadding: 8 }}
        label={(d) => `${fmt.int(d.value ?? 0)} · ${fmt.pct(d.data.rate_from_start)}`}
        labelPosition="start"
        labelOffset={8}
        labelSkipWidth={0}
        labelTextColor="#1e293b"
        tooltip={Tooltip}
        animate={false}
        theme={{ text: { fontSize: 12, fill: "#334155" } }}
      />
    </div>
  );
}
