import { config } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { addDays } from "../calendar";
import { dateInZone, FILTER_COLUMNS } from "../params";
import { loadAttributionCells } from "./attribution-cells";
import { loadCells } from "./index";
import { SOURCE_MEDIUM_CAMPAIGN, type ViewSpec } from "./views";

/**
 * Fills the cells of the dashboard's unfiltered views (totals, every breakdown column, event
 * kinds, attribution by source) so the first visitor after a start or a bulk load does not pay for computing them:
 * totals for two years (a year compared with the one before), the others for one. Later writes
 * only make their own days stale.
 */
export async function warmRollups(db: Db, tz: string, opts: { days?: number; now?: Date; log?: (line: string) => void } = {}): Promise<{ views: number; ms: number }> {
  const t0 = Date.now();
  const end = dateInZone(opts.now ?? new Date(), tz);
  const days = opts.days ?? 366;
  const range = { start: addDays(end, -(days - 1)), end };
  const views: ViewSpec[] = [
    { kind: "sessions", column: null, tz, filters: {} },
    ...Object.values(FILTER_COLUMNS).map((column): ViewSpec => ({ kind: "sessions", column, tz, filters: {} })),
    { kind: "sessions", column: SOURCE_MEDIUM_CAMPAIGN, tz, filters: {} },
    { kind: "events", column: null, tz, filters: {} },
  ];
  for (const v of views) {
    await loadCells(db, v, v.kind === "sessions" && v.column === null ? { start: addDays(range.start, -days), end } : range, { visitors: false });
    opts.log?.(`rollups: ${v.kind}${v.column ? ` by ${v.column}` : ""} ready`);
  }
  // The dashboard's attribution block and the API default: by utm_source.
  await loadAttributionCells(db, { dimension: "utm_source", tz, filters: {}, windowHours: Math.round(config().attributionWindowDays * 24) }, range);
  opts.log?.("rollups: attribution by utm_source ready");
  return { views: views.length + 1, ms: Date.now() - t0 };
}
