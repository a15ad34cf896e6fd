"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import type { Dict } from "@/lib/i18n";
import { activeFilters, PERIOD_PRESETS, withParams, type Patch } from "../search-params";

/**
 * The filter bar: period presets, a custom range, the compare toggle and the active filters as
 * removable chips. Every change is a router.push of the new query, so history and copied links
 * hold the view.
 */
export function FilterBar({ t, range, shareHref }: { t: Dict; range: { start: string; end: string; period: string }; shareHref?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const id = useId();
  const [start, setStart] = useState(range.start);
  const [end, setEnd] = useState(range.end);
  const go = (patch: Patch) => router.push(`${pathname}?${withParams(sp.toString(), patch).toString()}`, { scroll: false });
  const chips = activeFilters(sp);
  const compare = sp.get("compare") === "1";

  function applyCustom(e: FormEvent) {
    e.preventDefault();
    if (start && end) go({ start_date: start <= end ? start : end, end_date: start <= end ? end : start });
  }

  const btn = (on: boolean) =>
    `rounded-md px-2.5 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${on ? "bg-indigo-600 text-white shadow-sm" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`;

  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4" data-testid="filter-bar">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label={t.period} className="flex flex-wrap gap-1.5">
          {PERIOD_PRESETS.map((p) => (
            <button key={p} type="button" className={btn(range.period === p)} aria-pressed={range.period === p} onClick={() => go({ period: p })}>
              {t.periods[p]}
            </button>
          ))}
        </div>
        <form onSubmit={applyCustom} className="flex flex-wrap items-center gap-1.5">
          <label htmlFor={`${id}-from`} className="text-xs text-slate-500">
            {t.from}
          </label>
          <input id={`${id}-from`} type="date" value={start} onChange={(e) => setStart(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
          <label htmlFor={`${id}-to`} className="text-xs text-slate-500">
            {t.to}
          </label>
          <input id={`${id}-to`} type="date" value={end} onChange={(e) => setEnd(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
          <button type="submit" className={btn(range.period === "custom")}>
            {t.apply}
          </button>
        </form>
        <label className="ml-auto inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={compare} onChange={(e) => go({ compare: e.target.checked ? "1" : null })} className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500" />
          {t.compare}
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm" aria-label={t.filters}>
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{t.filters}:</span>
        {chips.length === 0 ? <span className="text-xs text-slate-400">{t.addFilterHint}</span> : null}
        {chips.map((c) => (
          <span key={c.key} data-chip={c.key} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2.5 pr-1 text-xs text-indigo-800 ring-1 ring-indigo-200">
            <span className="text-indigo-500">{t.dims[c.key]}:</span> <strong className="font-medium">{c.value}</strong>
            <button
              type="button"
              onClick={() => go({ [c.key]: null })}
              aria-label={`${t.removeFilter}: ${t.dims[c.key]} ${c.value}`}
              className="grid h-5 w-5 place-items-center rounded-full text-indigo-500 hover:bg-indigo-100 hover:text-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              ×
            </button>
          </span>
        ))}
        {chips.length > 1 ? (
          <button type="button" onClick={() => go(Object.fromEntries(chips.map((c) => [c.key, null])))} className="text-xs text-slate-500 underline hover:text-slate-800">
            {t.clearFilters}
          </button>
        ) : null}
        {shareHref ? (
          <a href={shareHref} className="ml-auto inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50" data-testid="share-view">
            🔗 {t.shareCurrentView}
          </a>
        ) : null}
      </div>
    </div>
  );
}
