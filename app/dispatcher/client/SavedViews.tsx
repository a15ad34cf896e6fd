"use client";

import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useDismiss } from "./use-dismiss";
import type { WatchStrings } from "@/lib/i18n/watch";
import { FILTER_PARAM_NAMES, queryOf, rangeAndFilters, type DashboardPatch } from "../search-params";
import { useUrlState } from "./Pending";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

/**
 * Saved views in the filter picker (SPEC 20): the signed-in user's named range + filters
 * (/api/utm/views). "Save this view" stores the URL's range and filters under a name (the same
 * name replaces it); applying one sets exactly those parameters through the dashboard's URL state
 * (every other range or filter parameter is cleared), so the view is again a link.
 */

type View = { id: number; name: string; params: Record<string, string | string[]> };

const RANGE = ["period", "start_date", "end_date"] as const;

/** The URL patch that turns the current view into `params`. */
export function viewPatch(params: Record<string, string | string[]>): DashboardPatch {
  const patch: Record<string, string | string[] | null> = {};
  for (const k of RANGE) {
    const v = params[k];
    patch[k] = typeof v === "string" ? v : null;
  }
  for (const k of FILTER_PARAM_NAMES) {
    const v = params[k];
    patch[k] = v === undefined ? null : Array.isArray(v) ? v : [v];
  }
  return patch as DashboardPatch;
}

/** The current URL's range + filters as a view's `params` (a repeated filter as a list). */
export function currentParams(query: URLSearchParams): Record<string, string | string[]> {
  const sp = rangeAndFilters(query);
  sp.delete("basis");
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(sp.keys())) {
    const all = sp.getAll(k);
    out[k] = (RANGE as readonly string[]).includes(k) ? all[0] : all;
  }
  return out;
}

export function SavedViews({ s }: { s: WatchStrings }) {
  const [url, update] = useUrlState();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [views, setViews] = useState<View[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);

  const call = useCallback(async (init: RequestInit & { url: string }) => {
    setError(null);
    const res = await fetch(init.url, { ...init, credentials: "same-origin", headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) } });
    const body = (await res.json().catch(() => ({}))) as { views?: View[]; error?: string; issues?: { path: string; message: string }[] };
    if (!res.ok) {
      setError(apiErrorText(pageLocale(), res.status, body).text);
      return undefined;
    }
    return body;
  }, []);
  const reload = useCallback(async () => {
    const body = await call({ url: "/api/utm/views" });
    if (body?.views) setViews(body.views);
  }, [call]);

  useDismiss(open, panel, close);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return;
    if (await call({ url: "/api/utm/views", method: "POST", body: JSON.stringify({ name, params: currentParams(queryOf(url)) }) })) {
      setName("");
      await reload();
    }
  }

  return (
    <div className="relative" ref={panel}>
      <button
        type="button"
        onClick={() => {
          if (!open) void reload();
          setOpen(!open);
        }}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        data-testid="saved-views-open"
        className="inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        ★ {s.savedViews}
      </button>
      {open ? (
        <div
          id={`${id}-panel`}
          role="dialog"
          aria-label={s.savedViews}
          data-testid="saved-views"
          className="fixed inset-x-2 top-24 z-40 max-h-[75vh] overflow-y-auto rounded-xl border border-slate-200 bg-white p-3 shadow-xl sm:absolute sm:inset-x-auto sm:left-0 sm:top-8 sm:w-80"
        >
          <ul className="space-y-1">
            {views === null ? <li className="text-sm text-slate-400">…</li> : null}
            {views?.length === 0 ? <li className="text-sm text-slate-400">{s.noViews}</li> : null}
            {views?.map((v) => (
              <li key={v.id} className="flex items-center gap-1">
                <button
                  type="button"
                  onClick={() => {
                    setOpen(false);
                    update(viewPatch(v.params), "all");
                  }}
                  title={`${s.applyView}: ${v.name}`}
                  data-view={v.name}
                  className="min-w-0 flex-1 truncate rounded-md px-2 py-1 text-left text-sm text-slate-800 hover:bg-indigo-50"
                >
                  {v.name}
                </button>
                <button
                  type="button"
                  onClick={async () => {
                    if (await call({ url: `/api/utm/views?id=${v.id}`, method: "DELETE" })) await reload();
                  }}
                  aria-label={`${s.deleteView}: ${v.name}`}
                  className="grid h-6 w-6 shrink-0 place-items-center rounded-full text-slate-400 hover:bg-slate-100 hover:text-rose-700"
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={save} className="mt-3 flex gap-2 border-t border-slate-100 pt-3">
            <label htmlFor={`${id}-name`} className="sr-only">
              {s.viewName}
            </label>
            <input
              id={`${id}-name`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={80}
              placeholder={s.viewName}
              data-testid="saved-view-name"
              className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
            />
            <button type="submit" disabled={!name.trim()} data-testid="saved-view-save" className="shrink-0 rounded-md bg-indigo-600 px-2.5 py-1 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-40">
              {s.saveView}
            </button>
          </form>
          {error ? (
            <p role="alert" className="mt-2 text-xs text-rose-700">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
