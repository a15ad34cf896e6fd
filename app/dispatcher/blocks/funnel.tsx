import { getFunnel, type Funnel } from "@/lib/analytics/funnel";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { db, orError } from "./shared";

/** The conversion funnel: one bar per step, width = share of the first step. */
export function FunnelView({ data, t, fmt }: { data: Funnel; t: Dict; fmt: Formatters }) {
  if (data.steps.length === 0 || data.steps[0].sessions === 0) return <Empty text={t.noData} />;
  return (
    <ol className="space-y-3">
      {data.steps.map((s, i) => (
        <li key={s.step} data-step={s.step}>
          <div className="mb-1 flex items-baseline justify-between gap-2 text-sm">
            <span className="font-medium text-slate-700">{t.funnelSteps[s.step]}</span>
            <span className="tabular-nums text-slate-900">
              {fmt.int(s.sessions)} <span className="text-xs text-slate-500">· {fmt.pct(s.rate_from_start)}</span>
            </span>
          </div>
          <div className="h-6 w-full overflow-hidden rounded-md bg-slate-100">
            <div className="flex h-full items-center rounded-md bg-gradient-to-r from-indigo-500 to-violet-500 px-2 text-[11px] font-medium text-white" style={{ width: `${Math.max(s.rate_from_start, 0.5)}%` }} />
          </div>
          {i > 0 ? (
            <div className="mt-0.5 text-right text-xs text-slate-500 tabular-nums">
              {fmt.pct(s.rate_from_previous)} {t.fromPrevious}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export async function FunnelBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "funnel", async () => getFunnel(await db(), ctx.q));
  return orError(r, (data) => <FunnelView data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />);
}
