import { getBreakdown, type Breakdown, type BreakdownRow } from "@/lib/analytics/breakdown";
import { TABLE_DIMENSIONS } from "@/lib/dimensions";
import { Bar } from "@/app/components/Bar";
import { DataTable, type Column } from "@/app/components/DataTable";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { dashboardHref, sortRows, type FilterParam, type Sort, type TableId } from "../search-params";
import { db, flag, orError, sortProps } from "./shared";

/**
 * The breakdown tables (one per dimension of lib/dimensions.ts): one report call
 * each; clicking a row adds that value as a filter; headers sort; the total is the report's own
 * (distinct visitors over the whole selection).
 */

/** Table → its breakdown endpoint and filter key (lib/dimensions.ts). */
export const TABLE_DIMENSION = TABLE_DIMENSIONS;

export type BreakdownViewProps = {
  table: keyof typeof TABLE_DIMENSION;
  data: Breakdown;
  t: Dict;
  fmt: Formatters;
  sort?: Sort;
  /** Row → href adding its filter (absent on read-only views or when the filter is already set). */
  rowHref?: (row: BreakdownRow) => string | undefined;
  sortLink?: (col: string, numeric: boolean) => { sortHref: string; sorted?: "asc" | "desc" };
  compact?: boolean;
};

export function BreakdownView({ table, data, t, fmt, sort, rowHref, sortLink, compact }: BreakdownViewProps) {
  const dim = TABLE_DIMENSION[table];
  const maxSessions = Math.max(1, ...data.rows.map((r) => r.sessions));
  const dimLabel = t.dims[dim.filter];
  const label = (r: BreakdownRow) => (r.key === "total" && r === data.total ? t.total : table === "geo" ? `${flag(r.key)} ${fmt.country(r.key)}` : table === "devices" ? fmt.device(r.key) : table === "channels" ? (t.channelNames[r.key] ?? r.key) : r.key);
  const col = (key: keyof BreakdownRow, lbl: string, render: (r: BreakdownRow) => string, numeric = true): Column<BreakdownRow> => ({
    key,
    label: lbl,
    numeric,
    render,
    ...(sortLink ? sortLink(key, numeric) : {}),
  });
  const columns: Column<BreakdownRow>[] = compact
    ? [
        col("key", dimLabel, label, false),
        { key: "bar", label: "", render: (r) => (r === data.total ? null : <Bar value={(r.sessions / maxSessions) * 100} />), className: "w-24 min-w-16" },
        col("sessions", t.m.sessions, (r) => fmt.int(r.sessions)),
        col("conversion_rate", t.m.conversion_rate, (r) => fmt.pct(r.conversion_rate)),
        col("revenue", t.m.revenue, (r) => fmt.moneyShort(r.revenue)),
      ]
    : [
        col("key", dimLabel, label, false),
        col("sessions", t.m.sessions, (r) => fmt.int(r.sessions)),
        col("visitors", t.m.visitors, (r) => fmt.int(r.visitors)),
        col("conversions", t.m.conversions, (r) => fmt.int(r.conversions)),
        col("conversion_rate", t.m.conversion_rate, (r) => fmt.pct(r.conversion_rate)),
        col("orders", t.m.orders, (r) => fmt.int(r.orders)),
        col("revenue", t.m.revenue, (r) => fmt.money(r.revenue)),
        col("aov", t.m.aov, (r) => fmt.money(r.aov)),
        col("revenue_per_session", t.m.revenue_per_session, (r) => fmt.money(r.revenue_per_session)),
      ];
  return (
    <DataTable
      caption={(t.blocks as Record<string, string | undefined>)[table] ?? dimLabel}
      columns={columns}
      rows={sortRows(data.rows, sort)}
      rowKey={(r) => r.key}
      rowHref={rowHref}
      rowLabel={(r) => `${dimLabel}: ${r.key}`}
      footer={data.rows.length > 1 ? data.total : undefined}
      empty={<Empty text={t.noData} />}
    />
  );
}

export async function BreakdownBlock({ ctx, table, compact }: { ctx: DashboardContext; table: keyof typeof TABLE_DIMENSION; compact?: boolean }) {
  const dim = TABLE_DIMENSION[table];
  const r = await load(ctx, table, async () => getBreakdown(await db(), ctx.q, dim.report));
  const filtered = ctx.q.filters[dim.filter] !== undefined;
  return orError(r, (data) => (
    <BreakdownView
      table={table}
      data={data}
      t={ctx.i18n.t}
      fmt={ctx.i18n.fmt}
      sort={ctx.state.sort[table]}
      compact={compact}
      sortLink={(c, numeric) => sortProps(ctx, table, c, numeric)}
      rowHref={ctx.readOnly || filtered ? undefined : (row) => dashboardHref(ctx.basePath, ctx.params, { [dim.filter]: [row.key] })}
    />
  ));
}
