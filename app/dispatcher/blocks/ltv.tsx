import { getLtvComparison, LTV_MIN_CUSTOMERS, ltvTopSources, type LtvRow } from "@/lib/analytics/ltv";
import { DataTable, type Column } from "@/app/components/DataTable";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { sortRows, type Sort } from "../search-params";
import { db, orError, sortProps } from "./shared";

/**
 * LTV by acquisition source (seed v3.0, issue 12): the top 5 among sources with at least 5
 * customers (ltvTopSources, lib/analytics/ltv.ts, the e-mail's rule too), the rest behind "show
 * all". A row is green when its LTV is at least the overall LTV (total revenue / total customers
 * over all rows), yellow at ≥ 70 % of it, red below.
 */

export type LtvTone = "green" | "yellow" | "red";

export function overallLtv(rows: readonly Pick<LtvRow, "revenue" | "customers">[]): number {
  const customers = rows.reduce((s, r) => s + r.customers, 0);
  return customers === 0 ? 0 : rows.reduce((s, r) => s + r.revenue, 0) / customers;
}

export function ltvTone(ltv: number, overall: number): LtvTone {
  if (ltv >= overall) return "green";
  if (ltv >= 0.7 * overall) return "yellow";
  return "red";
}

const TONE_CLASS: Record<LtvTone, string> = {
  green: "bg-emerald-100 text-emerald-800",
  yellow: "bg-amber-100 text-amber-800",
  red: "bg-rose-100 text-rose-800",
};

export function LtvView({
  rows,
  t,
  fmt,
  sort,
  sortLink,
}: {
  rows: LtvRow[];
  t: Dict;
  fmt: Formatters;
  sort?: Sort;
  sortLink?: (col: string, numeric: boolean) => { sortHref: string; sorted?: "asc" | "desc" };
}) {
  if (rows.length === 0) return <Empty text={t.noData} />;
  const overall = overallLtv(rows);
  // Top 5 by the report's order (LTV desc) among sources with enough customers (the e-mail's rule
  // too), then the chosen sort within them; the others behind "show all".
  const split = ltvTopSources(rows);
  const top = sortRows(split.top, sort);
  const rest = sortRows(split.rest, sort);
  const ts = t.tools;
  const col = (key: keyof LtvRow, label: string, render: (r: LtvRow) => React.ReactNode, numeric = true): Column<LtvRow> => ({
    key,
    label,
    numeric,
    render,
    ...(sortLink ? sortLink(key, numeric) : {}),
  });
  const table = (list: LtvRow[], empty: string) => (
    <DataTable
      caption={t.blocks.ltv}
      columns={[
        col("utm_source", t.dims.utm_source, (r) => r.utm_source, false),
        col("customers", t.m.customers, (r) => fmt.int(r.customers)),
        col("orders", t.m.orders, (r) => fmt.int(r.orders)),
        col("revenue", t.m.revenue, (r) => fmt.money(r.revenue)),
        col("ltv", t.m.ltv, (r) => {
          const tone = ltvTone(r.ltv, overall);
          return (
            <span data-ltv-tone={tone} className={`rounded-md px-2 py-0.5 font-semibold ${TONE_CLASS[tone]}`}>
              {fmt.money(r.ltv)}
            </span>
          );
        }),
        col("aov", t.m.aov, (r) => fmt.money(r.aov)),
        col("orders_per_customer", t.m.orders_per_customer, (r) => fmt.num(r.orders_per_customer)),
        col("repeat_rate", t.m.repeat_rate, (r) => fmt.pct(r.repeat_rate)),
      ]}
      rows={list}
      rowKey={(r) => r.utm_source}
      empty={<Empty text={empty} />}
      maxHeight={false}
    />
  );
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="text-slate-500">
          {t.overallLtv}: <strong className="tabular-nums text-slate-900" data-overall-ltv={overall.toFixed(2)}>{fmt.money(overall)}</strong>
        </span>
        <span className="text-xs text-slate-400">{t.ltvLegend}</span>
      </div>
      <p className="text-xs text-slate-500" data-ltv-min-customers={LTV_MIN_CUSTOMERS}>
        {ts.ltvTopNote}
      </p>
      {table(top, ts.ltvTopNote)}
      {rest.length ? (
        <details className="group" data-ltv-rest={rest.length}>
          <summary className="cursor-pointer text-sm font-medium text-indigo-700 hover:text-indigo-900">
            {ts.showOthers} ({fmt.int(rows.length)})
          </summary>
          <div className="mt-2">{table(rest, t.noData)}</div>
        </details>
      ) : null}
    </div>
  );
}

export async function LtvBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "ltv", async () => getLtvComparison(await db(), ctx.q));
  return orError(r, (rows) => (
    <LtvView rows={rows} t={ctx.i18n.t} fmt={ctx.i18n.fmt} sort={ctx.state.sort.ltv} sortLink={(c, n) => sortProps(ctx, "ltv", c, n)} />
  ));
}
