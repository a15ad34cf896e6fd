import { getRepeatRate, type RepeatRate } from "@/lib/analytics/repeat-rate";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import { db, orError } from "./shared";

/** The seed's five repeat-purchase cards (gradient styling as in v3.0). */
export function RepeatCards({ data, t, fmt }: { data: RepeatRate; t: Dict; fmt: Formatters }) {
  const cards: { key: keyof RepeatRate; label: string; value: string; tone: string }[] = [
    { key: "total_customers", label: t.totalCustomers, value: fmt.int(data.total_customers), tone: "from-indigo-500 to-blue-500" },
    { key: "repeat_customers", label: t.repeatCustomers, value: fmt.int(data.repeat_customers), tone: "from-violet-500 to-purple-500" },
    { key: "repeat_rate", label: t.repeatRate, value: fmt.pct(data.repeat_rate), tone: "from-emerald-500 to-teal-500" },
    { key: "avg_orders_per_customer", label: t.avgOrdersPerCustomer, value: fmt.num(data.avg_orders_per_customer), tone: "from-amber-500 to-orange-500" },
    { key: "avg_days_between_orders", label: t.avgDaysBetween, value: fmt.num(data.avg_days_between_orders), tone: "from-rose-500 to-pink-500" },
  ];
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {cards.map((c) => (
        <div key={c.key} data-repeat-card={c.key} className={`rounded-xl bg-gradient-to-br ${c.tone} p-4 text-white shadow-sm last:col-span-2 sm:last:col-span-1`}>
          <div className="text-xs font-medium uppercase tracking-wide text-white/80">{c.label}</div>
          <div className="mt-1 text-2xl font-semibold tabular-nums" data-value={data[c.key]}>
            {c.value}
          </div>
        </div>
      ))}
    </div>
  );
}

export async function RepeatBlock({ ctx }: { ctx: DashboardContext }) {
  const r = await load(ctx, "repeat", async () => getRepeatRate(await db(), ctx.q));
  return orError(r, (data) => <RepeatCards data={data} t={ctx.i18n.t} fmt={ctx.i18n.fmt} />);
}
