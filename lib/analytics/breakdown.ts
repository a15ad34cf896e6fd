import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import type { AnalyticsQuery } from "./params";
import { figures, ROW_FIGURES, shapeFigures, type RawFigures, type SessionFigures } from "./session-figures";

/**
 * Breakdowns by one session dimension (SPEC 4): a row per value plus a `total` over the whole
 * selection whose visitors are distinct visitors (a visitor seen under two sources counts once).
 */

/** Endpoint → column: the allow-list of identifiers spliced into the query. */
export const BREAKDOWN_DIMENSIONS = {
  sources: "utm_source",
  campaigns: "utm_campaign",
  content: "utm_content",
  geo: "country",
  devices: "device",
  browsers: "browser",
  "operating-systems": "os",
  // SPEC 12
  mediums: "utm_medium",
  terms: "utm_term",
  "landing-pages": "landing_page",
  referrers: "referrer_host",
} as const;
export type BreakdownDimension = keyof typeof BREAKDOWN_DIMENSIONS;
export const BREAKDOWN_NAMES = Object.keys(BREAKDOWN_DIMENSIONS) as BreakdownDimension[];

export type BreakdownRow = {
  key: string;
  /** Only on `geo`: the English country name. */
  name?: string;
} & SessionFigures;
export type Breakdown = { rows: BreakdownRow[]; total: BreakdownRow };

type Raw = { is_total: boolean; key: string | null } & RawFigures;

let regionNames: Intl.DisplayNames | undefined;
/** English name of an ISO 3166-1 alpha-2 code; "Unknown" for `(none)` or a code Intl rejects. */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return "Unknown";
  regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export function breakdownRow(key: string, r: RawFigures): BreakdownRow {
  return { key, ...shapeFigures(r) };
}

export async function getBreakdown(db: Db, q: AnalyticsQuery, dimension: BreakdownDimension): Promise<Breakdown> {
  const column = BREAKDOWN_DIMENSIONS[dimension];
  if (!column) throw new Error(`unknown breakdown ${String(dimension)}`);
  const col = sql.raw(`s.${column}`);
  // One scan: GROUPING SETS gives the rows and the whole-selection total (its own distinct
  // visitors, on the narrow visitor_key) together.
  const raw = await rows<Raw>(
    db,
    sql`select * from (
        select grouping(${col}) = 1 as is_total, ${col}::text as key,
               ${figures(...ROW_FIGURES)}
        from sessions s
        where ${sessionWhere(q, "s")}
        group by grouping sets ((${col}), ())
        ) t
        order by is_total, sessions desc, key collate "C"`,
  );
  const totalRaw = raw.find((r) => r.is_total)!;
  const out = raw
    .filter((r) => !r.is_total)
    .map((r) => {
      const row = breakdownRow(r.key ?? "(none)", r);
      if (dimension !== "geo") return row;
      const { key, ...rest } = row;
      return { key, name: countryName(key), ...rest };
    });
  return { rows: out, total: breakdownRow("total", totalRaw) };
}
