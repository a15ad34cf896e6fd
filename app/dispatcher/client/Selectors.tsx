"use client";

import { useId, useState, type FormEvent } from "react";
import type { DashboardPatch } from "../search-params";
import { scopeOf, useNav, useUrlState } from "./Pending";

/**
 * A set of labelled <select>s committed by one button (the seed's «Оновити» / «Показати
 * результат»): the choice goes into the URL (useUrlState, a history entry), so back/forward and
 * copied links keep it. A default value leaves the URL short (the parsers' clearOnDefault) and
 * an empty choice removes the parameter.
 */
export type SelectorParam = "cohort_metric" | "cohort_type" | "cohort_range" | "cohort_basis" | "revenue" | "campaign" | "model" | "attribution_dimension";
export type SelectSpec = { name: SelectorParam; label: string; value: string; options: { value: string; label: string }[] };

export function SelectorsForm({ selects, button, testId }: { selects: SelectSpec[]; button: string; testId: string }) {
  const nav = useNav();
  const [, update] = useUrlState();
  const base = useId();
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(selects.map((s) => [s.name, s.value])));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    // The options are the parsers' own values (search-params.ts), so each is a valid value of its parameter.
    const patch = Object.fromEntries(selects.map((s) => [s.name, values[s.name] || null])) as DashboardPatch;
    update(patch, scopeOf(e.currentTarget as Element), base);
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" data-testid={testId}>
      {selects.map((s) => (
        <div key={s.name} className="min-w-0">
          <label htmlFor={`${base}-${s.name}`} className="block text-xs font-medium text-slate-600">
            {s.label}
          </label>
          <select
            id={`${base}-${s.name}`}
            name={s.name}
            value={values[s.name]}
            onChange={(e) => setValues((v) => ({ ...v, [s.name]: e.target.value }))}
            className="mt-1 block w-full max-w-[16rem] rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
          >
            {s.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button type="submit" data-pending={nav.source === base ? "true" : undefined} aria-busy={nav.source === base || undefined} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
        {button}
        {nav.source === base ? <span className="ml-1.5 inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent align-[-1px]" aria-hidden="true" /> : null}
      </button>
    </form>
  );
}
