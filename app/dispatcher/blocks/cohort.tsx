import { getCohortAnalysis, isPaybackMetric, type CohortAnswer, type CohortMetric } from "@/lib/analytics/cohort";
import { config } from "@/lib/config";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import { load, type DashboardContext } from "../context";
import { CohortHeatmap, type HeatmapInput } from "../client/CohortHeatmap";
import { SelectorsForm } from "../client/Selectors";
import { COHORT_BASIS_VALUES, COHORT_METRIC_VALUES, COHORT_RANGES, COHORT_TYPE_VALUES, rangeAndFilters } from "../search-params";
import { db, orError } from "./shared";

/**
 * Cohort heatmap (SPEC 5.1, seed v3.0): metric, cohort type and range selectors committed by
 * «Оновити»; the heatmap; a totals card per period; «Недостатньо даних» without cohorts.
 */

/** "Week 3" → "Тиждень 3" in the UI language. */
export function periodLabel(label: string, t: Dict): string {
  const m = /^(Day|Week|Month) (\d+)$/.exec(label);
  return m ? `${t.periodLabels[m[1] as "Day" | "Week" | "Month"]} ${m[2]}` : label;
}

export type CohortData = Partial<CohortAnswer> & Pick<CohortAnswer, "cohorts" | "matrix">;

export function CohortResult({ data, t, fmt, locale, currency }: { data: CohortData; t: Dict; fmt: Formatters; locale: Locale; currency: string }) {
  if (!data.cohorts || data.cohorts.length === 0) {
    return (
      <div id="cohort-heatmap-container">
        <Empty text={t.notEnoughData} />
      </div>
    );
  }
  const metric = data.metric ?? "retention";
  const periods = data.periods ?? (data.matrix[0] ?? []).map((_, k) => `Week ${k}`);
  const sizes = data.sizes ?? [];
  const input: HeatmapInput = {
    metric,
    columns: periods.map((p) => periodLabel(p, t)),
    rows: data.cohorts.map((c, i) => ({
      id: c,
      label: `${fmt.shortDate(c)}${sizes[i] !== undefined ? ` · ${fmt.int(sizes[i])}` : ""}`,
      values: data.matrix[i] ?? [],
    })),
  };
  const f = (v: number | null) =>
    v === null ? "—" : metric === "retention" ? fmt.pct(v) : metric === "orders" ? fmt.int(v) : isPaybackMetric(metric) ? `${fmt.num(v)}×` : fmt.money(v);
  const cs = t.costs;
  const totals = data.totals ?? [];
  return (
    <div id="cohort-heatmap-container" className="space-y-4" data-metric={metric} data-cohort-type={data.cohort_type}>
      {metric === "roas" ? <p className="text-xs text-slate-500">{cs.paybackHint}</p> : null}
      {data.basis && isPaybackMetric(metric) ? (
        <p className="text-xs text-slate-500" data-cohort-basis={data.basis}>
          <span className="font-medium text-slate-700">{t.money.paybackBases[data.basis]}</span>: {data.basis === "paid" ? t.money.paybackPaidHelp : t.money.paybackAllHelp}
        </p>
      ) : null}
      <CohortHeatmap input={input} locale={locale} currency={currency} ariaLabel={`${t.blocks.cohort}: ${t.cohortMetrics[metric]}`} />
      {totals.length > 0 ? (
        <div>
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">{t.totals}</h3>
          <div className="grid grid-cols-3 gap-2 sm:grid-cols-4 lg:grid-cols-6" data-cohort-totals>
            {totals.map((v, k) => (
              <div key={k} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
                <div className="truncate text-[11px] text-slate-500">{input.columns[k]}</div>
                <div className="text-sm font-semibold tabular-nums text-slate-900">{f(v)}</div>
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** The JSON endpoint of the current heatmap (the seed's loader fetched it; kept as a link for API users). */
export function cohortApiHref(ctx: Pick<DashboardContext, "params" | "state" | "shareToken">): string {
  const sp = rangeAndFilters(ctx.params);
  if (!ctx.shareToken) {
    // The dashboard's cohorts use their own range preset; a shared view keeps its locked range.
    sp.delete("period");
    sp.delete("start_date");
    sp.delete("end_date");
    sp.set("period", ctx.state.cohortRange);
  }
  sp.set("cohort_type", ctx.state.cohortType);
  sp.set("metric", ctx.state.cohortMetric);
  if (isPaybackMetric(ctx.state.cohortMetric)) sp.set("basis", ctx.state.cohortBasis);
  if (ctx.shareToken) sp.set("share", ctx.shareToken);
  return `/api/utm/cohort-analysis?${sp.toString()}`;
}

export function CohortControls({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  return (
    <SelectorsForm
      testId="cohort-controls"
      button={t.refresh}
      selects={[
        { name: "cohort_metric", label: t.metric, value: ctx.state.cohortMetric, options: COHORT_METRIC_VALUES.map((m) => ({ value: m, label: t.cohortMetrics[m] })) },
        { name: "cohort_type", label: t.cohortType, value: ctx.state.cohortType, options: COHORT_TYPE_VALUES.map((m) => ({ value: m, label: t.cohortTypes[m] })) },
        { name: "cohort_range", label: t.cohortRange, value: ctx.state.cohortRange, options: COHORT_RANGES.map((m) => ({ value: m, label: t.cohortRanges[m] })) },
        { name: "cohort_basis", label: t.money.paybackBasis, value: ctx.state.cohortBasis, options: COHORT_BASIS_VALUES.map((m) => ({ value: m, label: t.money.paybackBases[m] })) },
      ]}
    />
  );
}

/** SPEC 18: payback reads paid-acquired customers by default (`cohort_basis`); other metrics all customers, as the API. */
function paybackBasis(metric: CohortMetric, basis: "paid" | "all"): "paid" | "all" {
  return isPaybackMetric(metric) ? basis : "all";
}

export async function CohortBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "cohort", async () =>
    getCohortAnalysis(await db(), ctx.cohortQ, { cohortType: ctx.state.cohortType, metric: ctx.state.cohortMetric, basis: paybackBasis(ctx.state.cohortMetric, ctx.state.cohortBasis) }),
  );
  return orError(r, (data) => <CohortResult data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} locale={ctx.i18n.locale} currency={config().currency} />);
}
