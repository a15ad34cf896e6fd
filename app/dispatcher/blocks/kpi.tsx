import { fill } from "@/lib/i18n/format";
import { config } from "@/lib/config";
import { getCompare, previousRange, type Compare, type CompareMode } from "@/lib/analytics/compare";
import type { GeneralStats } from "@/lib/analytics/general-stats";
import { KpiCard } from "@/app/components/KpiCard";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { compareRange } from "../presets";
import { dashboardHref } from "../search-params";
import { db, orError } from "./shared";

/** KPI cards: the selection's figures and their change against the previous period (compare report). */

/** The cards, in order; each figure is written by its kind (STAT_KIND, shared with the e-mail). */
type Kpi = { key: keyof GeneralStats; lowerIsBetter?: boolean };
const KPIS: Kpi[] = [
  { key: "sessions" },
  { key: "visitors" },
  { key: "conversions" },
  { key: "conversion_rate" },
  { key: "orders" },
  { key: "revenue" },
  { key: "net_revenue" },
  { key: "aov" },
  { key: "revenue_per_session" },
  { key: "bounce_rate", lowerIsBetter: true },
  { key: "avg_page_views" },
];

export function KpiView({
  data,
  t,
  fmt,
  showPrevious,
  basis,
  revenue,
  mode = "previous_period",
  showRange = false,
}: {
  data: Compare;
  t: Dict;
  fmt: Formatters;
  showPrevious: boolean;
  /** What the change figures compare with: the caption says it, and `showRange` adds its dates. */
  mode?: CompareMode;
  showRange?: boolean;
  /** Net revenue's basis (SPEC 17.5) and the link that switches it; the card says which it shows. */
  basis?: { cash: boolean; switchHref?: string };
  /** SPEC 18 money view (`revenue=gross|net|margin` in the URL): margin adds its card and says how many orders had no cost. */
  revenue?: { view: "gross" | "net" | "margin"; hrefs: Record<"gross" | "net" | "margin", string>; estimated: boolean };
}) {
  const f = (k: Kpi, v: number) => fmt.stat(k.key, v);
  const basisName = basis?.cash ? t.basis.cash : t.basis.accrual;
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {showRange ? (
        <p className="col-span-full text-xs text-slate-500" data-compared-range={`${data.previous.start_date}/${data.previous.end_date}`}>
          {t.dash.comparedRange[mode].replace("{range}", fmt.range({ start: data.previous.start_date, end: data.previous.end_date }))}
        </p>
      ) : null}
      {(revenue?.view === "margin" ? [...KPIS.slice(0, 7), { key: "margin" } as Kpi, ...KPIS.slice(7)] : KPIS).map((k) => (
        <KpiCard
          key={k.key}
          label={k.key === "net_revenue" ? `${t.m.net_revenue} (${basisName})` : t.m[k.key]}
          value={f(k, data.current.stats[k.key])}
          change={data.change[k.key]}
          changeLabel={fmt.delta(data.change[k.key])}
          caption={t.dash.versus[mode]}
          lowerIsBetter={k.lowerIsBetter}
          previous={showPrevious ? `${t.previous}: ${f(k, data.previous.stats[k.key])}` : undefined}
        />
      ))}
      {revenue ? (
        <p className="col-span-full text-xs text-slate-500" data-revenue-view={revenue.view}>
          {t.money.revenueView}:{" "}
          {(["gross", "net", "margin"] as const).map((v) => (
            <a key={v} href={revenue.hrefs[v]} className={`mr-2 ${v === revenue.view ? "font-semibold text-slate-800" : "underline"}`} aria-current={v === revenue.view ? "true" : undefined}>
              {t.money.revenueViews[v]}
            </a>
          ))}
          {revenue.view === "margin" ? (
            <span data-orders-without-cost={data.current.stats.orders_without_cost}>
              {t.money.marginHelp}. {fill(t.money.ordersWithoutCost, { n: fmt.int(data.current.stats.orders_without_cost) })} —{" "}
              {revenue.estimated ? t.money.withoutCostEstimated : t.money.withoutCostExcluded}
            </span>
          ) : null}
        </p>
      ) : null}
      {basis?.switchHref ? (
        <p className="col-span-full text-xs text-slate-500" data-basis={basis.cash ? "cash" : "accrual"}>
          {basis.cash ? t.basis.cashHelp : t.basis.accrualHelp}{" "}
          <a className="underline" href={basis.switchHref}>
            {basis.cash ? t.basis.showAccrual : t.basis.showCash}
          </a>
        </p>
      ) : null}
    </div>
  );
}

export async function KpiBlock({ ctx }: { ctx: DashboardContext }) {
  // compare=previous_year: the same dates a year earlier (SPEC 12); otherwise the previous period.
  const previous = ctx.state.compareMode === "previous_year" ? compareRange(ctx.q.range, "previous_year") : undefined;
  // A shared view never reads outside its link's range (SPEC 16): no change figures then.
  const allowed = ctx.allowsRange(previous ?? previousRange(ctx.q.range));
  const r = await load(ctx, "kpi", async () => {
    const data = await getCompare(await db(), ctx.q, { previous: allowed ? previous : ctx.q.range });
    return allowed ? data : { ...data, previous: data.current, change: Object.fromEntries(Object.keys(data.change).map((k) => [k, null])) as Compare["change"] };
  });
  const cash = ctx.q.basis === "cash";
  // The URL keeps the basis: the switch links to the same view with basis=cash, or without it.
  const switchHref = dashboardHref(ctx.basePath, ctx.params, { basis: cash ? null : "cash" });
  return orError(r, (data) => (
    <KpiView
      data={data}
      t={ctx.i18n.t}
      fmt={ctx.i18n.fmt}
      showPrevious={ctx.state.compare && allowed}
      basis={{ cash, switchHref }}
      revenue={{
        view: ctx.state.revenueView,
        hrefs: {
          gross: dashboardHref(ctx.basePath, ctx.params, { revenue: null }),
          net: dashboardHref(ctx.basePath, ctx.params, { revenue: "net" }),
          margin: dashboardHref(ctx.basePath, ctx.params, { revenue: "margin" }),
        },
        estimated: config().defaultMarginPct !== undefined,
      }}
      mode={ctx.state.compareMode === "previous_year" ? "previous_year" : "previous_period"}
      showRange={allowed}
    />
  ));
}
