import { getRoi, type Roi, type RoiRow, type RoiTotal } from "@/lib/analytics/roi";
import { getSpendAudit, type SpendAudit } from "@/lib/analytics/spend-audit";
import { config } from "@/lib/config";
import type { CostStrings } from "@/lib/i18n/costs";
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
        // No spend: no cost per acquisition (not "0.00"), like ROI and ROAS.
        col("cpa", t.m.cpa, (r) => (r.spend === 0 ? "—" : fmt.money(r.cpa))),
      ]}
      rows={sortRows(data.rows, sort)}
      rowKey={(r) => `${r.utm_source}\u0000${r.utm_campaign}`}
      footer={data.rows.length > 1 ? data.total : undefined}
      empty={<Empty text={t.noData} />}
    />
  );
}

/**
 * The total's money figures, each named for what it divides (SPEC 18): ROAS of the campaigns with
 * spend beside blended ROAS (MER), so a shop's free revenue never reads as return on ads.
 */
export function RoiTotalsView({ total, t, fmt }: { total: RoiTotal; t: Dict; fmt: Formatters }) {
  const ms = t.money;
  const x = (v: number | null) => (v === null ? "—" : `${fmt.num(v)}×`);
  const items: [string, string, string, string][] = [
    ["roas", ms.roasPaid, x(total.roas), ms.roasPaidHelp],
    ["blended_roas", ms.blendedRoas, x(total.blended_roas), ms.blendedRoasHelp],
    ["paid_revenue", ms.paidRevenue, fmt.money(total.paid_revenue), `${t.m.revenue}: ${fmt.money(total.revenue)}`],
  ];
  return (
    <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3" data-testid="roi-totals">
      {items.map(([key, label, value, help]) => (
        <div key={key} className="rounded-md border border-slate-200 bg-white p-2" data-figure={key}>
          <dt className="text-xs font-medium text-slate-600">{label}</dt>
          <dd className="font-semibold tabular-nums text-slate-900">{value}</dd>
          <dd className="text-[11px] text-slate-500">{help}</dd>
        </div>
      ))}
    </dl>
  );
}

/** SPEC 14 spend audit: spend without sessions and paid sessions without spend (both sorted by the API). */
export function SpendAuditView({ data, cs, fmt }: { data: SpendAudit; cs: CostStrings; fmt: Formatters }) {
  const none = data.spend_without_sessions.length === 0 && data.paid_sessions_without_spend.length === 0;
  const list = (title: string, items: { key: string; label: string; value: string }[], testid: string) => (
    <div className="min-w-0" data-testid={testid}>
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      {items.length === 0 ? (
        <p className="mt-1 text-xs text-slate-400">—</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100 text-sm">
          {items.map((i) => (
            <li key={i.key} className="flex justify-between gap-3 py-1">
              <span className="truncate text-slate-800">{i.label}</span>
              <span className="shrink-0 tabular-nums text-slate-600">{i.value}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="spend-audit" aria-label={cs.auditTitle}>
      <h3 className="text-sm font-semibold text-slate-800">{cs.auditTitle}</h3>
      <p className="text-xs text-slate-500">{none ? cs.auditClean : cs.auditHint}</p>
      {none ? null : (
        <div className="mt-2 grid grid-cols-1 gap-4 md:grid-cols-2">
          {list(
            cs.spendNoSessions,
            data.spend_without_sessions.map((r) => ({ key: `${r.utm_source}\u0000${r.utm_campaign}`, label: `${r.utm_source} / ${r.utm_campaign}`, value: fmt.money(r.spend) })),
            "spend-without-sessions",
          )}
          {list(
            cs.paidNoSpend,
            data.paid_sessions_without_spend.map((r) => ({ key: `${r.utm_source}\u0000${r.utm_campaign}`, label: `${r.utm_source} / ${r.utm_campaign}`, value: fmt.int(r.sessions) })),
            "paid-without-spend",
          )}
        </div>
      )}
    </section>
  );
}

export async function RoiBlock({ ctx }: { ctx: DashboardContext }) {
  const t = ctx.i18n.t;
  // The table always shows the real figures; a what-if spend is computed apart and shown in its
  // own labelled panel next to (under) the table, never in place of the real numbers.
  const [r, whatIf, audit] = await Promise.all([
    load(ctx, "roi", async () => getRoi(await db(), ctx.q)),
    ctx.state.spend === undefined || ctx.readOnly ? undefined : load(ctx, "roi-what-if", async () => getRoi(await db(), ctx.q, { spend: ctx.state.spend })),
    load(ctx, "spend-audit", async () => getSpendAudit(await db(), ctx.q)),
  ]);
  const cs = t.costs;
  const ts = t.tools;
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-1 gap-3">
        <div className="min-w-0 space-y-2">
          {orError(r, (data) => (
            <>
              <RoiView data={data} t={t} fmt={ctx.i18n.fmt} sort={ctx.state.sort.roi} sortLink={(c, n) => sortProps(ctx, "roi", c, n)} />
              <RoiTotalsView total={data.total} t={t} fmt={ctx.i18n.fmt} />
            </>
          ))}
        </div>
        {!ctx.readOnly ? (
          <aside className="space-y-2 rounded-lg border border-dashed border-amber-300 bg-amber-50/50 p-3 text-sm lg:grid lg:grid-cols-[minmax(0,1fr)_auto_20rem] lg:items-center lg:gap-4 lg:space-y-0" data-testid="roi-what-if" aria-label={ts.whatIfTitle}>
            <div>
              <h3 className="font-semibold text-amber-900">{ts.whatIfTitle}</h3>
              <p className="text-xs text-amber-800/80">{ts.whatIfHint}</p>
            </div>
            <NumberParamForm name="spend" label={t.whatIfSpend} button={t.calculate} initial={ctx.state.spend} />
            {whatIf?.ok ? (
              <dl className="grid grid-cols-3 gap-2 pt-1 text-center" data-what-if-spend={whatIf.data.total.spend}>
                {(
                  [
                    [t.m.roi, whatIf.data.total.roi === null ? "—" : ctx.i18n.fmt.pct(whatIf.data.total.roi)],
                    [t.money.blendedRoas, whatIf.data.total.blended_roas === null ? "—" : ctx.i18n.fmt.num(whatIf.data.total.blended_roas)],
                    [t.m.cpa, whatIf.data.total.spend === 0 ? "—" : ctx.i18n.fmt.money(whatIf.data.total.cpa)],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label} className="rounded-md bg-white p-2 ring-1 ring-amber-200">
                    <dt className="text-xs text-slate-500">{label}</dt>
                    <dd className="font-semibold tabular-nums text-slate-900">{value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </aside>
        ) : null}
      </div>
      {orError(audit, (data) => <SpendAuditView data={data} cs={cs} fmt={ctx.i18n.fmt} />)}
      {ctx.isAdmin ? <SpendUpload labels={cs} appCurrency={config().currency} /> : null}
    </div>
  );
}
