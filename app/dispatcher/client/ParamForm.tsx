"use client";

import { useId, useState, type FormEvent } from "react";
import { scopeOf, useUrlState } from "./Pending";

/** One labelled number input that sets a numeric URL parameter (ROI what-if spend); empty removes it. */
export function NumberParamForm({ name, label, button, initial }: { name: "spend"; label: string; button: string; initial?: number }) {
  const [, update] = useUrlState();
  const id = useId();
  const [value, setValue] = useState(initial === undefined ? "" : String(initial));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const v = value.trim();
    update({ [name]: v === "" ? null : Number(v) }, scopeOf(e.currentTarget as Element));
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor={id} className="text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={0}
        step="0.01"
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className="w-32 rounded-md border border-slate-300 px-2 py-1 tabular-nums focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
      />
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
        {button}
      </button>
    </form>
  );
}
