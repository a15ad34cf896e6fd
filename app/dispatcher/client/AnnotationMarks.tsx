"use client";

import type { LineCustomSvgLayerProps, LineSeries } from "@nivo/line";

/**
 * The annotations layer of the time-series chart (SPEC 20): a dashed vertical line on each
 * annotated bucket with a flag at the top (the number of annotations when more than one), and an
 * SVG <title> with their texts. Texts are user input: they are only ever React text children
 * (escaped), never markup.
 */

export type ChartAnnotation = {
  /** The bucket the annotation's date falls in. */
  index: number;
  kind: "note" | "incident" | "spend_start";
  text: string;
};

export const ANNOTATION_COLORS: Record<ChartAnnotation["kind"], string> = {
  note: "#d97706",
  incident: "#e11d48",
  spend_start: "#059669",
};

export function AnnotationMarks<S extends LineSeries>(notes: readonly ChartAnnotation[], kinds?: Record<ChartAnnotation["kind"], string>) {
  const byIndex = new Map<number, ChartAnnotation[]>();
  for (const a of notes) byIndex.set(a.index, [...(byIndex.get(a.index) ?? []), a]);
  function Marks({ xScale, innerHeight }: LineCustomSvgLayerProps<S>) {
    const x = xScale as unknown as (i: number) => number;
    return (
      <g data-layer="annotations">
        {[...byIndex].map(([i, list]) => {
          const px = x(i);
          if (!Number.isFinite(px)) return null;
          // An incident outranks a first spend, which outranks a note, for the flag's colour.
          const top = list.find((a) => a.kind === "incident") ?? list.find((a) => a.kind === "spend_start") ?? list[0];
          const color = ANNOTATION_COLORS[top.kind];
          return (
            <g key={i} transform={`translate(${px},0)`} data-annotation-mark={i}>
              <title>{list.map((a) => `${kinds?.[a.kind] ?? a.kind}: ${a.text}`).join("\n")}</title>
              <line y1={0} y2={innerHeight} stroke={color} strokeWidth={1.5} strokeDasharray="3 3" opacity={0.8} />
              <circle cy={0} r={7} fill={color} />
              <text y={0} dy="0.35em" textAnchor="middle" fontSize={9} fontWeight={700} fill="#fff">
                {list.length > 1 ? list.length : "!"}
              </text>
            </g>
          );
        })}
      </g>
    );
  }
  return Marks;
}
