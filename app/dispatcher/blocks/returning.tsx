import { getReturningVisitors, type ReturningVisitors } from "@/lib/analytics/returning-visitors";
import { Bar } from "@/app/components/Bar";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { db, orError } from "./shared";

/** New vs returning sessions: two side-by-side summaries and the returning share. */
export function ReturningView({ data, t, fmt }: { data: ReturningVisitors; t: Dict; fmt: Formatters }) {
  if (data.new.sessions + data.returning.sessions === 0) return <Empty text={t.noData} />;
  const group = (label: string, g: ReturningVisitors["new"], tone: string) => (
    <div className={`rounded-lg border p-3 ${tone}`}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">{t.m.sessions}</dt>
        <dd className="text-right font-semibold tabular-nums">{fmt.int(g.sessions)}</dd>
        <dt className="text-slate-500">{t.m.conversions}</dt>
        <dd className="text-right tabular-nums">{fmt.int(g.conversions)}</dd>
        <dt className="text-slate-500">{t.m.conversion_rate}</dt>
        <dd className="text-right tabular-nums">{fmt.pct(g.conversion_rate)}</dd>
        <dt className="text-slate-500">{t.m.revenue}</dt>
        <dd className="text-right tabular-nums">{fmt.money(g.revenue)}</dd>
      </dl>
    </div>
  );
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {group(t.newVisitors, data.new, "border-sky-100 bg-sky-50/50")}
        {group(t.returningVisitors, data.returning, "border-violet-100 bg-violet-50/50")}
      </div>
      <div>
        <div className="mb-1 flex justify-between text-xs text-slate-500">
          <span>{t.returningShare}</span>
          <span className="tabular-nums">{fmt.pct(data.returning_share)}</span>
        </div>
        <Bar value={data.returning_share} color="bg-violet-500" />
      </div>
    </div>
  );
}

export async function ReturningBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "returning", async () => getReturningVisitors(await db(), ctx.q));
  return orError(r, (data) => <ReturningView data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />);
}
