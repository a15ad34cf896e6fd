"use client";

import { useId, useState, type FormEvent } from "react";
import { useNav, useUrlState } from "@/app/dispatcher/client/Pending";

/**
 * The shared view's period control (issue 12): the recipient may pick a narrower period inside
 * the shared range (the inputs cannot go outside it; the API refuses a wider one anyway) and go
 * back to the whole shared range.
 */
export function SharePeriod({
  shared,
  current,
  labels,
}: {
  shared: { start: string; end: string };
  current: { start: string; end: string };
  labels: { title: string; from: string; to: string; apply: string; whole: string };
}) {
  const nav = useNav();
  const [, update] = useUrlState();
  const id = useId();
  const [start, setStart] = useState(current.start);
  const [end, setEnd] = useState(current.end);
  const clamp = (d: string) => (d < shared.start ? shared.start : d > shared.end ? shared.end : d);
  const narrowed = current.start !== shared.start || current.end !== shared.end;

  function apply(e: FormEvent) {
    e.preventDefault();
    if (!start || !end) return;
    const [a, b] = [clamp(start), clamp(end)].sort();
    // Explicit dates win over the link's period (SPEC 3.4); the link's own `period` still applies
    // on the server (its locked parameters are the defaults of the view).
    update({ start_date: a, end_date: b }, "all");
  }
  function whole() {
    setStart(shared.start);
    setEnd(shared.end);
    update({ start_date: null, end_date: null }, "all");
  }
  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
  return (
    <form onSubmit={apply} className="flex flex-wrap items-center gap-2 text-sm" data-testid="share-period" aria-label={labels.title}>
      <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{labels.title}:</span>
      <label htmlFor={`${id}-from`} className="text-xs text-slate-500">
        {labels.from}
      </label>
      <input id={`${id}-from`} type="date" min={shared.start} max={shared.end} value={start} onChange={(e) => setStart(e.target.value)} className={input} />
      <label htmlFor={`${id}-to`} className="text-xs text-slate-500">
        {labels.to}
      </label>
      <input id={`${id}-to`} type="date" min={shared.start} max={shared.end} value={end} onChange={(e) => setEnd(e.target.value)} className={input} />
      <button type="submit" disabled={nav.pending} className="rounded-md bg-indigo-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {labels.apply}
      </button>
      {narrowed ? (
        <button type="button" onClick={whole} className="text-xs text-slate-600 underline hover:text-slate-900">
          {labels.whole}
        </button>
      ) : null}
    </form>
  );
}
