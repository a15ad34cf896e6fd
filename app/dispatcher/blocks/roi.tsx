import { getRoi, type Roi, type RoiRow } from "@/lib/analytics/roi";
import { DataTable, type Column } from "@/app/components/DataTable";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { NumberParamForm } from "../client/ParamForm";
import { SpendUpload } from "../client/SpendUpload";
import { sortRows, type Sort } from "../search-params";
import { db, orError, sortProps } from "./shared";

/** ROI per source + campaign, a what-if spend and (admins) the ad-spend CSV upload. */
export function RoiView({
  data,
  t,
  fmt,
  sort,
  sortLink,
}: {
  data: Roi;
  t: Dict;
  fmt: Formatters;
  sort?: Sort;
  sortLink?: (col: string, numeric: boolean) => { sortHref: string; sorted?: "asc" | "desc" };
}) {
  const col = (key: keyof RoiRow, label: string, render: (r: RoiRow) => React.ReactNode, numeric = true): Column<RoiRow> => ({
    key,
    label,
    numeric,
    render,
    ...(sortLink ? sortLink(key, numeric) : {}),
  });
  const roiCell = (v: number | null) => (
    <span className={v === null ? "text-slate-400" : v >= 0 ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>{v === null ? "—" : fmt.pct(v)}</span>
  );
  return (
    <DataTable
      caption={t.blocks.roi}
      columns={[
        col("utm_source", t.dims.utm_source, (r) => (r === data.total ? t.total : r.utm_source), false),
        col("utm_campaign", t.dims.utm_campaign, (r) => (r === data.total ? "" : r.utm_campaign), false),
        col("spend", t.m.spend, (r) => fmt.money(r.spend)),
        col("sessions", t.m.sessions, (r) => fmt.int(r.sessions)),
        col("orders", t.m.orders, (r) => fmt.int(r.orders)),
        col("revenue", t.m.revenue, (r) => fmt.money(r.revenue)),
        col("roi", t.m.roi, (r) => roiCell(r.roi)),
        col("roas", t.m.roas, (r) => (r.roas === null ? "—" : fmt.num(r.roas))),
        col("cpa", t.m.cpa, (r) => fmt.money(r.cpa)),
      ]}
      rows={sortRows(data.rows, sort)}
      rowKey={(r) => `${r.utm_source}\u0000${r.utm_campaign}`}
      footer={data.rows.length > 1 ? data.total : undefined}
      empty={<Empty text={t.noData} />}
    />
  );
}

export async function RoiBlock({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  const r = await load(ctx, "roi", async () => getRoi(await db(), ctx.q, ctx.state.spend === undefined ? {} : { spend: ctx.state.spend }));
  return (
    <div className="space-y-3">
      {!ctx.readOnly ? <NumberParamForm name="spend" label={t.whatIfSpend} button={t.calculate} initial={ctx.state.spend} /> : null}
      {orError(r, (data) => <RoiView data={data} t={t} fmt={ctx.i18n.fmt} sort={ctx.state.sort.roi} sortLink={(c, n) => sortProps(ctx, "roi", c, n)} />)}
      {ctx.isAdmin ? <SpendUpload labels={{ uploadSpend: t.uploadSpend, uploadSpendHint: t.uploadSpendHint, upload: t.upload, uploaded: t.uploaded }} /> : null}
    </div>
  );
}
