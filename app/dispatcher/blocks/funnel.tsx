import { getFunnel, type Funnel } from "@/lib/analytics/funnel";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import { config } from "@/lib/config";
import { FunnelChart } from "../client/FunnelChart";
import { load, type DashboardContext } from "../context";
import { db, orError } from "./shared";

/** The conversion funnel: a horizontal bar chart of the steps (client/FunnelChart.tsx). */
export function FunnelView({ data, t, fmt, locale, currency }: { data: Funnel; t: Dict; fmt: Formatters; locale: Locale; currency: string }) {
  if (data.steps.length === 0 || data.steps[0].sessions === 0) return <Empty text={t.noData} />;
  return (
    <div data-funnel>
      <FunnelChart
        steps={data.steps.map((s) => ({ ...s, label: t.funnelSteps[s.step] }))}
        locale={locale}
        currency={currency}
        fromPrevious={t.fromPrevious}
        ariaLabel={data.steps.map((s) => `${t.funnelSteps[s.step]}: ${s.sessions}`).join(", ")}
      />
      <ol className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
        {data.steps.slice(1).map((s) => (
          <li key={s.step} data-step={s.step} className="tabular-nums">
            {t.funnelSteps[s.step]}: {fmt.pct(s.rate_from_previous)} {t.fromPrevious}
          </li>
        ))}
      </ol>
    </div>
  );
}

export async function FunnelBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "funnel", async () => getFunnel(await db(), ctx.q));
  return orError(r, (data) => <FunnelView data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} locale={ctx.i18n.locale} currency={config().currency} />);
}
