"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { INTL_LOCALE } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import type { ToolStrings } from "@/lib/i18n/tools";
import { SHAREABLE_PARAMS } from "@/lib/analytics/vocabulary";

/**
 * "Share this view" (issue 12, admins only — the button is not rendered for viewers and the
 * routes answer 403 anyway): name and expiry, create, copy the link, and the live links of this
 * very view (same shareable parameters) with revoke. Creating and revoking go through the
 * same-origin JSON routes of Settings.
 */


/** A view's identity: its shareable `k=v` pairs, sorted (order and duplicates do not matter). */
export function viewKey(params: URLSearchParams | Record<string, string | string[]>): string {
  const pairs = new Set<string>();
  const add = (k: string, v: string) => {
    if (SHAREABLE_PARAMS.includes(k) && v !== "") pairs.add(`${k}=${v}`);
  };
  if (params instanceof URLSearchParams) for (const [k, v] of params) add(k, v);
  else for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) add(k, x);
  return [...pairs].sort().join("&");
}

type Link = { id: string; name: string | null; params: Record<string, string | string[]>; expiresAt: string; revokedAt: string | null; active: boolean; url: string };

export function ShareDialog({ s, locale }: { s: ToolStrings; locale: string }) {
  const sp = useSearchParams();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [days, setDays] = useState("7");
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [links, setLinks] = useState<Link[] | null>(null);
  const [busy, setBusy] = useState(false);
  const key = viewKey(sp);
  const dateTime = new Intl.DateTimeFormat(INTL_LOCALE[locale as Locale] ?? locale, { dateStyle: "medium", timeStyle: "short" });

  const load = useCallback(async () => {
    const res = await fetch("/api/settings/share-links", { headers: { accept: "application/json" } });
    const body = (await res.json().catch(() => ({}))) as { links?: Link[]; error?: string };
    if (!res.ok) return setError(`${res.status} ${body.error ?? ""}`);
    setLinks((body.links ?? []).filter((l) => l.active && viewKey(l.params) === key));
  }, [key]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const absolute = (url: string) => `${window.location.origin}${url}`;

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const res = await fetch("/api/settings/share-links", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: name.trim() || undefined, params: sp.toString(), expires_in_days: Number(days) }),
      });
      const body = (await res.json().catch(() => ({}))) as { url?: string; error?: string; issues?: { path: string; message: string }[] };
      if (!res.ok || !body.url) {
        setError(`${res.status} ${body.issues?.map((i) => `${i.path}: ${i.message}`).join("; ") || body.error || ""}`);
        return;
      }
      setCreated(absolute(body.url));
      setCopied(false);
      await load();
    } finally {
      setBusy(false);
    }
  }

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      window.prompt(s.copy, text);
    }
  }

  async function revoke(linkId: string) {
    const res = await fetch(`/api/settings/share-links/${linkId}`, { method: "DELETE", headers: { "content-type": "application/json" } });
    if (!res.ok) setError(String(res.status));
    await load();
  }

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setOpen(true);
          setCreated(null);
          setError(null);
          void load();
        }}
        data-testid="share-view"
        className="ml-auto inline-flex items-center gap-1 rounded-md px-2 py-1 text-xs font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50"
      >
        🔗 {s.shareTitle}
      </button>
      {open ? (
        <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/40 p-3 pt-16 sm:items-center sm:pt-3" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="share-dialog" className="max-h-[85vh] w-full max-w-lg overflow-y-auto rounded-xl bg-white p-4 shadow-2xl sm:p-5">
            <div className="mb-3 flex items-center justify-between gap-2">
              <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
                {s.shareTitle}
              </h2>
              <button type="button" onClick={() => setOpen(false)} aria-label={s.close} className="grid h-7 w-7 place-items-center rounded-md text-slate-500 hover:bg-slate-100">
                ×
              </button>
            </div>
            <form onSubmit={create} className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_7rem_auto] sm:items-end">
              <div>
                <label htmlFor={`${id}-name`} className="mb-1 block text-xs font-medium text-slate-600">
                  {s.shareName}
                </label>
                <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} data-testid="share-name" className="w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
              </div>
              <div>
                <label htmlFor={`${id}-days`} className="mb-1 block text-xs font-medium text-slate-600">
                  {s.shareDays}
                </label>
                <input id={`${id}-days`} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} data-testid="share-days" className="w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm tabular-nums focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
              </div>
              <button type="submit" disabled={busy} data-testid="share-create" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-50">
                {s.shareCreate}
              </button>
            </form>
            {error ? (
              <p role="alert" className="mt-3 text-sm text-rose-700">
                {error}
              </p>
            ) : null}
            {created ? (
              <div className="mt-3 flex flex-wrap items-center gap-2 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
                <code className="min-w-0 flex-1 break-all text-xs text-emerald-900" data-testid="share-created-url">
                  {created}
                </code>
                <button type="button" onClick={() => void copy(created)} data-testid="share-copy" className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-emerald-800 ring-1 ring-emerald-300 hover:bg-emerald-100">
                  {copied ? `✓ ${s.copied}` : s.copy}
                </button>
              </div>
            ) : null}
            <h3 className="mb-2 mt-5 text-sm font-semibold text-slate-800">{s.shareExisting}</h3>
            {links === null ? <p className="text-sm text-slate-400">…</p> : null}
            {links?.length === 0 ? <p className="text-sm text-slate-400">{s.shareNone}</p> : null}
            <ul className="divide-y divide-slate-100" data-testid="share-existing">
              {(links ?? []).map((l) => (
                <li key={l.id} className="flex flex-wrap items-center gap-2 py-2 text-sm" data-share-id={l.id}>
                  <span className="min-w-0 flex-1">
                    <span className="font-medium">{l.name ?? "—"}</span>
                    <span className="block text-xs text-slate-500">
                      {s.validUntil}: {dateTime.format(new Date(l.expiresAt))}
                    </span>
                  </span>
                  <button type="button" onClick={() => void copy(absolute(l.url))} className="rounded-md px-2 py-1 text-xs font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50">
                    {s.copy}
                  </button>
                  <button type="button" onClick={() => void revoke(l.id)} data-testid="share-revoke" className="rounded-md px-2 py-1 text-xs font-medium text-rose-700 ring-1 ring-rose-200 hover:bg-rose-50">
                    {s.revoke}
                  </button>
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-500">
              <a href="/settings#share-links" className="underline hover:text-slate-800">
                {s.shareOtherViews}
              </a>
            </p>
          </div>
        </div>
      ) : null}
    </>
  );
}
