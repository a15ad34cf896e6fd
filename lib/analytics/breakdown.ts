import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { sessionWhere } from "./filters";
import type { AnalyticsQuery } from "./params";
import { cashRefundsBy, isCash, withCashRefunds } from "./net-revenue";
import { loadCells, servedByCells, type ReadOptions } from "./rollups";
import { fromCents, marginPartsOf, sumBy, sumCells, type CellSum } from "./rollups/sum";
import { figures, ROW_FIGURES, shapeFigures, type RawFigures, type SessionFigures } from "./session-figures";
import { byCodePoint } from "./sort-rows";
import { ENDPOINT_COLUMNS, type BreakdownDimension } from "@/lib/dimensions";

/**
 * Breakdowns by one session dimension (SPEC 4): a row per value plus a `total` over the whole
 * selection whose visitors are distinct visitors (a visitor seen under two sources counts once).
 */

/** Endpoint → column (lib/dimensions.ts): the allow-list of identifiers spliced into the query. */
export const BREAKDOWN_DIMENSIONS = ENDPOINT_COLUMNS;
export type { BreakdownDimension };
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

/** Rows (sessions desc, then key by code point) and total from day cells (rollups/index.ts). */
async function fromCells(db: Db, q: AnalyticsQuery, column: string): Promise<{ rows: Raw[]; total: Raw }> {
  const cells = await loadCells(db, { kind: "sessions", column, tz: q.tz, filters: q.filters }, q.range);
  const raw = (key: string | null, c: CellSum): Raw => ({
    is_total: key === null,
    key,
    sessions: c.sessions,
    visitors: c.visitors,
    conversions: c.conversions,
    orders: c.orders,
    revenue: fromCents(c.revenue_cents),
    refunded: fromCents(c.refunded_cents),
    ...marginPartsOf(c),
  });
  const byKey = [...sumBy(cells, (c) => c.key)].map(([k, c]) => raw(k, c));
  byKey.sort((a, b) => b.sessions - a.sessions || byCodePoint(a.key!, b.key!));
  return { rows: byKey, total: raw(null, sumCells(cells)) };
}

export async function getBreakdown(db: Db, q: AnalyticsQuery, dimension: BreakdownDimension, opts: ReadOptions = {}): Promise<Breakdown> {
  const column = BREAKDOWN_DIMENSIONS[dimension];
  if (!column) throw new Error(`unknown breakdown ${String(dimension)}`);
  const got = await accrualBreakdown(db, q, column, opts);
  if (!isCash(q)) return shapeBreakdown(dimension, got.rows, got.total);
  // basis=cash (SPEC 17.5): each row's refunds dated in the range, by the attributed session's value.
  const cash = await cashRefundsBy(db, q, sql.raw(`s.${column}`));
  const total = [...cash.values()].reduce((a, b) => a + b, 0);
  return shapeBreakdown(dimension, withCashRefunds(got.rows, cash, (r) => r.key ?? "(none)"), { ...got.total, refunded: total });
}

async function accrualBreakdown(db: Db, q: AnalyticsQuery, column: string, opts: ReadOptions): Promise<{ rows: Raw[]; total: Raw }> {
  if (await servedByCells(db, q.range, opts)) return fromCells(db, q, column);
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
  return { rows: raw.filter((r) => !r.is_total), total: raw.find((r) => r.is_total)! };
}

function shapeBreakdown(dimension: BreakdownDimension, rowsRaw: Raw[], totalRaw: Raw): Breakdown {
  const out = rowsRaw.map((r) => {
      const row = breakdownRow(r.key ?? "(none)", r);
      if (dimension !== "geo") return row;
      const { key, ...rest } = row;
      return { key, name: countryName(key), ...rest };
    });
  return { rows: out, total: breakdownRow("total", totalRaw) };
}
