import { signedPct } from "@/lib/i18n/format";

/** A KPI: the figure, its change vs the previous period (green up / red down; inverted for "lower is better"). */
export function KpiCard({
  label,
  value,
  change,
  previous,
  caption,
  lowerIsBetter = false,
  changeLabel,
}: {
  label: string;
  value: string;
  change?: number | null;
  previous?: string;
  caption?: string;
  lowerIsBetter?: boolean;
  /** The change as the UI language writes it (`▲ +7,4%`); default: locale-free `▲ +7.4%`. */
  changeLabel?: string;
}) {
  const good = change === null || change === undefined || change === 0 ? null : (change > 0) !== lowerIsBetter;
  const tone = good === null ? "text-slate-500 bg-slate-100" : good ? "text-emerald-700 bg-emerald-50" : "text-rose-700 bg-rose-50";
  return (
    <div className="min-w-0 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4" data-kpi={label}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500 [overflow-wrap:anywhere]">{label}</div>
      {/* Never truncated: a long figure (money on a phone) wraps or shrinks instead. */}
      <div className="mt-1 text-lg leading-tight font-semibold tabular-nums text-slate-900 [overflow-wrap:anywhere] min-[420px]:text-xl sm:text-2xl" data-kpi-value>
        {value}
      </div>
      {change !== undefined ? (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
          <span className={`rounded-full px-2 py-0.5 font-medium tabular-nums ${tone}`} data-change>
            {changeLabel ?? (change === null ? "—" : `${change > 0 ? "▲" : change < 0 ? "▼" : ""} ${signedPct(change)}`)}
          </span>
          {caption ? <span className="text-slate-400">{caption}</span> : null}
        </div>
      ) : null}
      {previous ? <div className="mt-1 text-xs text-slate-400 tabular-nums">{previous}</div> : null}
    </div>
  );
}
