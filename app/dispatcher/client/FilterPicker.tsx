"use client";

import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { useDismiss } from "./use-dismiss";
import { INTL_LOCALE } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import type { ToolStrings } from "@/lib/i18n/tools";
import { activeFilters, addValuesPatch, FILTER_PARAMS, NOT_PREFIX, queryOf, rangeAndFilters, removeChipPatch, type DashboardPatch, type FilterParam } from "../search-params";
import { useUrlState } from "./Pending";
import { DIMENSION_ENDPOINTS } from "@/lib/dimensions";

/**
 * The filter picker (issue 12): choose a dimension, "is" or "is not", and one or more values
 * suggested from the current range with their session counts (the dimension's breakdown endpoint,
 * same range and the other filters, `share=` in a shared view), with a typed search. Applying
 * adds the values to the URL (`dim=v` repeated, `not_dim=v`; addValuesPatch in search-params.ts),
 * so the view stays a link. The
 * chips show each value as "Source is google" / "Country is not UA" and remove it.
 */

/** Dimension → its breakdown endpoint (lib/dimensions.ts). */
export { DIMENSION_ENDPOINTS };

/** The suggestions request of a dimension: range + every other filter (+ share token). */
export function suggestionsHref(current: URLSearchParams | string, dim: FilterParam, shareToken?: string, locked: readonly string[] = []): string {
  const sp = rangeAndFilters(current);
  sp.delete(dim);
  sp.delete(`${NOT_PREFIX}${dim}`);
  // A share link's own filters stay (the API refuses a request that drops one).
  for (const pair of locked) {
    const [k, v] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    if ((k === dim || k === `${NOT_PREFIX}${dim}`) && !sp.getAll(k).includes(v)) sp.append(k, v);
  }
  if (shareToken) sp.set("share", shareToken);
  return `/api/utm/${DIMENSION_ENDPOINTS[dim]}?${sp.toString()}`;
}

type Labels = { dims: Record<string, string>; s: ToolStrings; removeFilter: string; clearFilters: string; addFilterHint: string; filters: string };
type Row = { key: string; name?: string; sessions: number };

function useDisplay(locale: string) {
  return useMemo(() => {
    let regions: Intl.DisplayNames | undefined;
    try {
      regions = new Intl.DisplayNames([locale], { type: "region" });
    } catch {
      regions = undefined;
    }
    return (dim: string, value: string) => {
      if (dim === "country" && /^[A-Z]{2}$/.test(value)) {
        try {
          return `${regions?.of(value) ?? value} (${value})`;
        } catch {
          return value;
        }
      }
      return value;
    };
  }, [locale]);
}

/** The active filters as chips, each removable; a share link's own (locked) filters are left to its banner. */
export function FilterChips({ labels, locale, locked = [] }: { labels: Labels; locale: string; locked?: string[] }) {
  const [url, update] = useUrlState();
  const show = useDisplay(locale);
  const chips = activeFilters(url);
  const go = (patch: DashboardPatch) => update(patch, "all");
  const removable = chips.filter((c) => !locked.includes(`${c.param}=${c.value}`));
  return (
    <>
      {chips.length === 0 && locked.length === 0 ? <span className="text-xs text-slate-400">{labels.addFilterHint}</span> : null}
      {chips.filter((c) => !locked.includes(`${c.param}=${c.value}`)).map((c) => {
        const dim = labels.dims[c.key] ?? c.key;
        const text = `${dim} ${c.negated ? labels.s.isNot : labels.s.is} ${show(c.key, c.value)}`;
        const canRemove = !locked.includes(`${c.param}=${c.value}`);
        return (
          <span
            key={`${c.param}=${c.value}`}
            data-chip={c.key}
            data-chip-value={c.value}
            data-negated={c.negated || undefined}
            className={`inline-flex max-w-full items-center gap-1 rounded-full py-0.5 pl-2.5 text-xs ring-1 ${canRemove ? "pr-1" : "pr-2.5"} ${c.negated ? "bg-rose-50 text-rose-900 ring-rose-200" : "bg-indigo-50 text-indigo-900 ring-indigo-200"}`}
          >
            <span className="truncate">
              <span className="opacity-70">{dim}</span> <em className="not-italic opacity-70">{c.negated ? labels.s.isNot : labels.s.is}</em> <strong className="font-medium">{show(c.key, c.value)}</strong>
            </span>
            {canRemove ? (
              <button
                type="button"
                onClick={() => go(removeChipPatch(url, c))}
                aria-label={`${labels.removeFilter}: ${text}`}
                className="grid h-5 w-5 shrink-0 place-items-center rounded-full hover:bg-white/70 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
              >
                ×
              </button>
            ) : null}
          </span>
        );
      })}
      {removable.length > 1 ? (
        <button type="button" onClick={() => go(Object.fromEntries(removable.map((c) => [c.param, url[c.param].filter((v) => locked.includes(`${c.param}=${v}`))])))} className="text-xs text-slate-500 underline hover:text-slate-800">
          {labels.clearFilters}
        </button>
      ) : null}
    </>
  );
}

/** "+ Add filter" and its panel. */
export function FilterPicker({ labels, locale, shareToken, locked = [] }: { labels: Labels; locale: string; shareToken?: string; locked?: string[] }) {
  const [url, update] = useUrlState();
  const id = useId();
  const show = useDisplay(locale);
  const [open, setOpen] = useState(false);
  const [dim, setDim] = useState<FilterParam>("utm_source");
  const [negated, setNegated] = useState(false);
  const [search, setSearch] = useState("");
  const [picked, setPicked] = useState<string[]>([]);
  // The answer of the last suggestions request, kept with the URL it answered.
  const [result, setResult] = useState<{ href: string; rows?: Row[]; error?: string } | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  const s = labels.s;

  const href = suggestionsHref(queryOf(url), dim, shareToken, locked);
  const rows = result?.href === href ? (result.rows ?? null) : null;
  const error = result?.href === href ? (result.error ?? null) : null;
  useEffect(() => {
    if (!open) return;
    const ctl = new AbortController();
    fetch(href, { signal: ctl.signal, headers: { accept: "application/json" } })
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as { rows?: Row[]; error?: string };
        if (!res.ok) throw new Error(`${res.status} ${body.error ?? ""}`);
        setResult({ href, rows: body.rows ?? [] });
      })
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setResult({ href, error: err instanceof Error ? err.message : String(err) });
      });
    return () => ctl.abort();
  }, [open, href]);

  useDismiss(open, panel, close);

  const already = new Set(url[negated ? (`${NOT_PREFIX}${dim}` as const) : dim]);
  const needle = search.trim().toLowerCase();
  const shown = (rows ?? []).filter((r) => !needle || r.key.toLowerCase().includes(needle) || show(dim, r.key).toLowerCase().includes(needle));
  // A typed value that is not among the suggestions can still be applied (exact match).
  const typed = search.trim();
  const canAddTyped = typed !== "" && !(rows ?? []).some((r) => r.key === typed);

  function apply() {
    const values = [...picked];
    if (values.length === 0 && typed) values.push(typed);
    if (values.length === 0) return;
    setOpen(false);
    setPicked([]);
    setSearch("");
    update(addValuesPatch(url, dim, values, negated), "all");
  }

  const toggle = (v: string) => setPicked((old) => (old.includes(v) ? old.filter((x) => x !== v) : [...old, v]));
  const seg = (on: boolean) => `px-3 py-1 text-xs font-medium ${on ? "bg-indigo-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`;

  return (
    <div className="relative" ref={panel}>
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        data-testid="filter-picker-open"
        className="inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        + {s.addFilter}
      </button>
      {open ? (
        <div
          id={`${id}-panel`}
          role="dialog"
          aria-label={s.addFilter}
          data-testid="filter-picker"
          className="fixed inset-x-2 top-24 z-40 max-h-[75vh] overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xl sm:absolute sm:inset-x-auto sm:left-0 sm:top-8 sm:w-96"
        >
          <div className="space-y-2 border-b border-slate-100 p-3">
            <div className="flex flex-wrap items-center gap-2">
              <label htmlFor={`${id}-dim`} className="sr-only">
                {s.dimension}
              </label>
              <select
                id={`${id}-dim`}
                value={dim}
                data-testid="filter-picker-dimension"
                onChange={(e) => {
                  setDim(e.target.value as FilterParam);
                  setPicked([]);
                  setSearch("");
                }}
                className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
              >
                {FILTER_PARAMS.map((k) => (
                  <option key={k} value={k}>
                    {labels.dims[k] ?? k}
                  </option>
                ))}
              </select>
              <div role="group" aria-label={s.condition} className="inline-flex overflow-hidden rounded-md ring-1 ring-slate-300">
                <button type="button" className={seg(!negated)} aria-pressed={!negated} onClick={() => setNegated(false)} data-testid="filter-picker-is">
                  {s.is}
                </button>
                <button type="button" className={seg(negated)} aria-pressed={negated} onClick={() => setNegated(true)} data-testid="filter-picker-is-not">
                  {s.isNot}
                </button>
              </div>
            </div>
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  apply();
                }
              }}
              placeholder={s.searchValues}
              aria-label={s.searchValues}
              data-testid="filter-picker-search"
              autoFocus
              className="w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
            />
          </div>
          <ul className="max-h-64 overflow-y-auto p-1" role="listbox" aria-multiselectable="true" aria-label={labels.dims[dim] ?? dim}>
            {rows === null && !error ? <li className="px-3 py-2 text-sm text-slate-400">…</li> : null}
            {error ? <li className="px-3 py-2 text-sm text-rose-700">{error}</li> : null}
            {rows !== null && shown.length === 0 && !canAddTyped ? <li className="px-3 py-2 text-sm text-slate-400">{s.noValues}</li> : null}
            {canAddTyped ? (
              <li>
                <button type="button" onClick={apply} className="w-full rounded-md px-3 py-1.5 text-left text-sm text-indigo-700 hover:bg-indigo-50">
                  {negated ? s.isNot : s.is} “{typed}”
                </button>
              </li>
            ) : null}
            {shown.map((r) => {
              const on = picked.includes(r.key);
              const set = already.has(r.key);
              return (
                <li key={r.key} role="option" aria-selected={on}>
                  <label className={`flex cursor-pointer items-center gap-2 rounded-md px-3 py-1.5 text-sm hover:bg-slate-50 ${set ? "opacity-50" : ""}`} data-value={r.key}>
                    <input type="checkbox" checked={on || set} disabled={set} onChange={() => toggle(r.key)} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
                    <span className="min-w-0 flex-1 truncate">{show(dim, r.key)}</span>
                    <span className="shrink-0 tabular-nums text-xs text-slate-500">
                      {new Intl.NumberFormat(INTL_LOCALE[locale as Locale] ?? locale).format(r.sessions)} {s.sessionsShort}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
          <div className="flex items-center justify-end gap-2 border-t border-slate-100 p-2">
            <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1 text-sm text-slate-600 hover:bg-slate-100">
              {s.cancel}
            </button>
            <button
              type="button"
              onClick={apply}
              disabled={picked.length === 0 && !typed}
              data-testid="filter-picker-apply"
              className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-40"
            >
              {s.applyFilter}
              {picked.length > 1 ? ` (${picked.length})` : ""}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export type FilterLabels = Labels;
