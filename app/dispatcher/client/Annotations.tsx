"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import type { Annotation } from "@/lib/analytics/annotations";
import { fill, INTL_LOCALE } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import type { WatchStrings } from "@/lib/i18n/watch";
import { ANNOTATION_COLORS } from "./AnnotationMarks";

/**
 * The annotations under the time-series chart (SPEC 20): each with its day, kind and text (plain
 * React text: user input is never markup), the source/campaign it is about, and for admins a
 * delete button and a small form that adds one (POST /api/utm/annotations, same-origin JSON; the
 * server renders the chart again afterwards).
 */

export function AnnotationList({
  annotations,
  canEdit,
  today,
  locale,
  s,
  dims,
  textMax,
}: {
  annotations: Annotation[];
  canEdit: boolean;
  today: string;
  locale: Locale;
  s: WatchStrings;
  dims: { utm_source: string; utm_campaign: string };
  /** The API's limit (ANNOTATION_TEXT_MAX), given by the server block. */
  textMax: number;
}) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ date: today, text: "", utm_source: "", utm_campaign: "" });
  const day = new Intl.DateTimeFormat(INTL_LOCALE[locale] ?? locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

  async function send(init: RequestInit & { url: string }) {
    setError(null);
    const res = await fetch(init.url, { ...init, credentials: "same-origin", headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) } });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string; issues?: { path: string; message: string }[] };
      const issue = body.issues?.[0];
      setError(fill(s.saveFailed, { t: issue ? `${issue.path} ${issue.message}` : (body.error ?? String(res.status)) }));
      return false;
    }
    startTransition(() => router.refresh());
    return true;
  }

  async function add(e: FormEvent) {
    e.preventDefault();
    const body = { date: form.date, text: form.text, utm_source: form.utm_source || null, utm_campaign: form.utm_campaign || null };
    if (await send({ url: "/api/utm/annotations", method: "POST", body: JSON.stringify(body) })) {
      setForm({ date: form.date, text: "", utm_source: "", utm_campaign: "" });
      setOpen(false);
    }
  }

  const input = "rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
  return (
    <section aria-label={s.annotations} className="mt-3 border-t border-slate-100 pt-3 text-sm" data-testid="annotations" aria-busy={pending || undefined}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{s.annotations}</h3>
        {canEdit ? (
          <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls={`${id}-form`} data-testid="annotation-add" className="rounded-full px-2.5 py-0.5 text-xs font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50">
            + {s.addAnnotation}
          </button>
        ) : null}
      </div>
      {open ? (
        <form id={`${id}-form`} onSubmit={add} className="mt-2 flex flex-wrap items-end gap-2" data-testid="annotation-form">
          <label className="flex flex-col text-xs text-slate-500">
            {s.date}
            <input type="date" required value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} className={input} />
          </label>
          <label className="flex min-w-48 flex-1 flex-col text-xs text-slate-500">
            {s.text}
            <input type="text" required maxLength={textMax} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} title={fill(s.textLimit, { n: textMax })} className={input} data-testid="annotation-text" />
          </label>
          <label className="flex flex-col text-xs text-slate-500">
            {s.source}
            <input type="text" maxLength={500} value={form.utm_source} onChange={(e) => setForm({ ...form, utm_source: e.target.value })} className={`${input} w-36`} />
          </label>
          <label className="flex flex-col text-xs text-slate-500">
            {s.campaign}
            <input type="text" maxLength={500} value={form.utm_campaign} onChange={(e) => setForm({ ...form, utm_campaign: e.target.value })} className={`${input} w-36`} />
          </label>
          <button type="submit" disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-50" data-testid="annotation-save">
            {s.save}
          </button>
          <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100">
            {s.cancel}
          </button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-xs text-rose-700">
          {error}
        </p>
      ) : null}
      {annotations.length ? (
        <ul className="mt-2 space-y-1">
          {annotations.map((a) => (
            <li key={`${a.kind}:${a.id ?? a.text}:${a.date}`} className="flex items-start gap-2" data-annotation={a.kind}>
              <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full" style={{ background: ANNOTATION_COLORS[a.kind] }} aria-hidden="true" />
              <span className="shrink-0 tabular-nums text-xs text-slate-500">{day.format(new Date(`${a.date}T00:00:00Z`))}</span>
              <span className="min-w-0 flex-1 break-words text-slate-800">
                <span className="mr-1 text-xs font-semibold" style={{ color: ANNOTATION_COLORS[a.kind] }}>
                  {s.kinds[a.kind]}
                </span>
                {a.text}
                {a.kind === "note" && (a.utm_source || a.utm_campaign) ? (
                  <span className="ml-1 text-xs text-slate-500">
                    ({[a.utm_source && `${dims.utm_source}: ${a.utm_source}`, a.utm_campaign && `${dims.utm_campaign}: ${a.utm_campaign}`].filter(Boolean).join(", ")})
                  </span>
                ) : null}
              </span>
              {canEdit && a.kind === "note" && a.id !== null ? (
                <button
                  type="button"
                  onClick={() => void send({ url: `/api/utm/annotations?id=${a.id}`, method: "DELETE" })}
                  aria-label={`${s.removeAnnotation}: ${a.text}`}
                  className="grid h-5 w-5 shrink-0 place-items-center rounded-full text-slate-400 hover:bg-slate-100 hover:text-rose-700"
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
