import { unattributedInView } from "@/lib/analytics/share-scope";
import { getAttributionView, type AttributionAnswer, type AttributionCompare, type AttributionCompareRow } from "@/lib/analytics/attribution";
import { byCodePoint } from "@/lib/analytics/sort-rows";
import { Bar } from "@/app/components/Bar";
import { DataTable, type Column } from "@/app/components/DataTable";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import { fill, type Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { SelectorsForm } from "../client/Selectors";
import { ATTRIBUTION_DIMENSION_VALUES, ATTRIBUTION_MODEL_VALUES, exportHref } from "../search-params";
import { db, orError } from "./shared";

/**
 * Attribution models side by side (SPEC 13): the model (`model`) and dimension
 * (`attribution_dimension`) selectors live in the URL; one row per key with every model's revenue
 * as a bar (one scale for the whole table, so models compare at a glance), spend and ROAS per
 * model when the dimension is source or campaign. Rows follow the selected model's revenue; its
 * column is highlighted and its total and unattributed orders are shown under the table.
 */

export const ATTRIBUTION_MAX_ROWS = 25;

type Model = (typeof ATTRIBUTION_MODEL_VALUES)[number];

export function AttributionView({ compare, selected, t, fmt }: { compare: AttributionCompare; selected: AttributionAnswer; t: Dict; fmt: Formatters }) {
  const model = selected.model as Model;
  const withSpend = compare.rows.some((r) => r.spend !== null);
  const rows = [...compare.rows].sort(
    (a, b) => b.results[model].revenue - a.results[model].revenue || byCodePoint(a.key, b.key),
  );
  const shown = rows.slice(0, ATTRIBUTION_MAX_ROWS);
  const max = Math.max(0, ...shown.flatMap((r) => ATTRIBUTION_MODEL_VALUES.map((m) => r.results[m].revenue)));
  const keyLabel = (key: string) => (compare.dimension === "device" ? fmt.device(key) : compare.dimension === "country" ? fmt.country(key) : key);
  function renderCell(m: Model, r: AttributionCompareRow) {
    const x = r.results[m];
    return (
      <div className="min-w-[6.5rem] space-y-1" data-model={m}>
        <div className={m === model ? "font-semibold text-slate-900" : "text-slate-700"}>{fmt.money(x.revenue)}</div>
        <Bar value={max > 0 ? (100 * x.revenue) / max : 0} color={m === model ? "bg-indigo-600" : "bg-indigo-300"} label={`${t.attr.models[m]}: ${fmt.money(x.revenue)}`} />
        <div className="text-[11px] text-slate-500">
          {fmt.num(x.conversions)} {t.m.conversions.toLowerCase()}
          {withSpend ? ` · ${t.m.roas} ${x.roas === null ? "—" : fmt.num(x.roas)}` : ""}
        </div>
      </div>
    );
  }
  const columns: Column<AttributionCompareRow>[] = [
    { key: "key", label: t.dims[compare.dimension], render: (r) => keyLabel(r.key) },
    ...(withSpend ? [{ key: "spend", label: t.m.spend, numeric: true, render: (r: AttributionCompareRow) => fmt.money(r.spend) }] : []),
    ...ATTRIBUTION_MODEL_VALUES.map((m) => ({
      key: m,
      label: t.attr.models[m],
      numeric: true,
      render: (r: AttributionCompareRow) => renderCell(m, r),
      className: m === model ? "bg-indigo-50/40" : "",
    })),
  ];
  return (
    <div className="space-y-3" data-attribution data-model={model} data-dimension={compare.dimension}>
      <DataTable caption={t.blocks.attribution} columns={columns} rows={shown} rowKey={(r) => r.key} empty={<Empty text={t.noData} />} />
      {rows.length > shown.length ? (
        <p className="text-xs text-slate-500">{fill(t.attr.topOf, { shown: shown.length, total: rows.length })}</p>
      ) : null}
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600" data-attribution-totals>
        <div>
          <dt className="inline">{t.attr.selectedTotal} «{t.attr.models[model]}»: </dt>
          <dd className="inline font-semibold text-slate-900">
            {fmt.money(selected.total.revenue)} · {fmt.num(selected.total.conversions)} {t.m.conversions.toLowerCase()}
          </dd>
        </div>
        <div>
          <dt className="inline">{t.attr.unattributed}: </dt>
          <dd className="inline font-semibold text-slate-900">
            {fmt.int(selected.unattributed.orders)} {t.attr.ordersCount} · {fmt.money(selected.unattributed.revenue)}
          </dd>
        </div>
      </dl>
      <p className="text-xs text-slate-400">{t.attr.hint}</p>
    </div>
  );
}

/** Model and dimension selectors (committed by «Оновити», kept in the URL). */
export function AttributionControls({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  return (
    <SelectorsForm
      testId="attribution-controls"
      button={t.refresh}
      selects={[
        {
          name: "model",
          label: t.attr.model,
          value: ctx.state.model,
          options: ATTRIBUTION_MODEL_VALUES.map((m) => ({ value: m, label: t.attr.models[m] })),
        },
        {
          name: "attribution_dimension",
          label: t.attr.dimension,
          value: ctx.state.attributionDimension,
          options: ATTRIBUTION_DIMENSION_VALUES.map((d) => ({ value: d, label: t.dims[d] })),
        },
      ]}
    />
  );
}

/** The CSV link of the comparison: report=attribution with the block's dimension. */
export function attributionCsvHref(ctx: DashboardContext): string {
  const href = exportHref("attribution", ctx.params, ctx.shareToken);
  return ctx.state.attributionDimension === "utm_source" ? href : `${href}&dimension=${encodeURIComponent(ctx.state.attributionDimension)}`;
}

export async function AttributionBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "attribution", async () => getAttributionView(await db(), ctx.q, ctx.state.model, ctx.state.attributionDimension));
  return orError(r, (data) => {
    // A shared view sees no unattributed order outside its selection (SPEC 21).
    const selected = ctx.readOnly ? { ...data.selected, unattributed: unattributedInView(data.selected.unattributed, ctx.q) } : data.selected;
    return <AttributionView compare={data.compare} selected={selected} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />;
  });
}
