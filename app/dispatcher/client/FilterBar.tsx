"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import type { Dict } from "@/lib/i18n";
import { activePreset, compareMode, DATE_PRESETS, presetPatch, type DatePreset } from "../presets";
import { activeFilters, removeChipPatch, type DashboardPatch } from "../search-params";
import type { DashStrings } from "@/lib/i18n";
import { useNav, useUrlState } from "./Pending";

/**
 * The filter bar: date presets (Today … All time; the ones that are not SPEC periods become
 * explicit dates computed on the server's `today`), a custom range, the comparison (previous
 * period / same period last year) and the active filters as removable chips. Every change is a
 * URL update in the dashboard's transition (useUrlState, client/Pending.tsx): the clicked control
 * shows a spinner and the blocks dim until the new view has arrived.
 */
export function FilterBar({
  t,
  s,
  range,
  today,
  shareHref,
  filterTools,
  share,
}: {
  t: Dict;
  s: DashStrings;
  range: { start: string; end: string; period: string };
  today: string;
  shareHref?: string;
  /** The filter chips and picker (client/FilterPicker.tsx); replaces the plain chips when given. */
  filterTools?: ReactNode;
  /** The share dialog's button (client/ShareDialog.tsx); replaces the link to Settings when given. */
  share?: ReactNode;
}) {
  const nav = useNav();
  const [url, update] = useUrlState();
  const id = useId();
  const [start, setStart] = useState(range.start);
  const [end, setEnd] = useState(range.end);
  // The control that started the pending change (shown highlighted with a spinner meanwhile).
  const clicked = nav.source?.startsWith(`${id}:`) ? nav.source.slice(id.length + 1) : null;
  const go = (patch: DashboardPatch, control: string) => update(patch, "all", `${id}:${control}`);
  const chips = activeFilters(url);
  const compare = compareMode(url.compare);
  const active = activePreset(range, today);
  const busy = (control: string) => clicked === control;

  function applyCustom(e: FormEvent) {
    e.preventDefault();
    if (start && end) go({ start_date: start <= end ? start : end, end_date: start <= end ? end : start }, "custom");
  }

  const btn = (on: boolean) =>
    `relative rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${on ? "bg-indigo-600 text-white shadow-sm" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`;
  const spinner = <span className="ml-1.5 inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent align-[-1px]" aria-hidden="true" />;
  const pressed = (p: DatePreset) => (clicked?.startsWith("preset:") ? clicked === `preset:${p}` : active === p);

  return (
    <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4" data-testid="filter-bar">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label={t.period} className="flex flex-wrap gap-1.5">
          {DATE_PRESETS.map((p) => (
            <button
              key={p}
              type="button"
              className={btn(pressed(p))}
              aria-pressed={pressed(p)}
              aria-busy={busy(`preset:${p}`) || undefined}
              data-preset={p}
              data-pending={busy(`preset:${p}`) ? "true" : undefined}
              onClick={() => go(presetPatch(p, today), `preset:${p}`)}
            >
              {s.presets[p]}
              {busy(`preset:${p}`) ? spinner : null}
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
          <button type="submit" className={btn(active === undefined)} data-pending={busy("custom") ? "true" : undefined} title={s.custom}>
            {t.apply}
            {busy("custom") ? spinner : null}
          </button>
        </form>
        <label className="inline-flex items-center gap-2 text-sm text-slate-700 lg:ml-auto">
          <span className="text-xs text-slate-500">{s.compareWith}</span>
          <select
            value={compare ?? ""}
            onChange={(e) => go({ compare: compareMode(e.target.value) ?? null }, "compare")}
            data-testid="compare-mode"
            data-pending={busy("compare") ? "true" : undefined}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
          >
            <option value="">{s.compareOff}</option>
            <option value="previous_period">{s.compareModes.previous_period}</option>
            <option value="previous_year">{s.compareModes.previous_year}</option>
          </select>
          {busy("compare") ? spinner : null}
        </label>
        {nav.pending ? (
          <span role="status" className="inline-flex items-center gap-1.5 text-xs font-medium text-indigo-700" data-testid="pending-status">
            {spinner}
            {s.updating}
          </span>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm" aria-label={t.filters}>
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{t.filters}:</span>
        {filterTools}
        {filterTools ? null : chips.length === 0 ? <span className="text-xs text-slate-400">{t.addFilterHint}</span> : null}
        {filterTools ? null : chips.map((c) => (
          <span key={`${c.param}=${c.value}`} data-chip={c.key} data-negated={c.negated || undefined} className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pl-2.5 pr-1 text-xs text-indigo-800 ring-1 ring-indigo-200">
            <span className="text-indigo-500">{t.dims[c.key]}{c.negated ? " ≠" : ":"}</span> <strong className={`font-medium ${c.negated ? "line-through decoration-indigo-400" : ""}`}>{c.value}</strong>
            <button
              type="button"
              onClick={() => go(removeChipPatch(url, c), `chip:${c.param}=${c.value}`)}
              aria-label={`${t.removeFilter}: ${t.dims[c.key]} ${c.negated ? "≠ " : ""}${c.value}`}
              className="grid h-5 w-5 place-items-center rounded-full text-indigo-500 hover:bg-indigo-100 hover:text-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
            >
              ×
            </button>
          </span>
        ))}
        {!filterTools && chips.length > 1 ? (
          <button type="button" onClick={() => go(Object.fromEntries(chips.map((c) => [c.param, null])), "clear")} className="text-xs text-slate-500 underline hover:text-slate-800">
            {t.clearFilters}
          </button>
        ) : null}
        {share ? share : shareHref ? (
          <a href={shareHref} className="ml-auto inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50" data-testid="share-view">
            🔗 {t.shareCurrentView}
          </a>
        ) : null}
      </div>
    </div>
  );
}
