"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import type { CostImportAnswer } from "@/lib/costs/import";
import type { CostStrings } from "@/lib/i18n/costs";

/** The import answer of SPEC 14, as POST /api/utm/ad-spend sends it. */
type Summary = CostImportAnswer;
type Failure = { error?: string; issues?: { path: string; message: string }[] };

/**
 * Admin-only ad-spend upload (SPEC 14): the file (generic CSV or a platform export) is first sent
 * with dry_run=1 and the preview shows the detected format, rows, days, total and currency (with
 * the rate field when the file's currency needs one); "Import" then writes it and the ROI block
 * re-renders.
 */
export function SpendUpload({ labels, appCurrency }: { labels: CostStrings; appCurrency: string }) {
  const router = useRouter();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Summary | null>(null);
  const [done, setDone] = useState<Summary | null>(null);
  const [fail, setFail] = useState<Failure | null>(null);
  const money = (n: number) => new Intl.NumberFormat(undefined, { style: "currency", currency: appCurrency }).format(n);

  async function send(dryRun: boolean) {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) return;
    if (dryRun) data.set("dry_run", "1");
    setBusy(true);
    setFail(null);
    setDone(null);
    try {
      const res = await fetch("/api/utm/ad-spend", { method: "POST", body: data });
      const body = (await res.json().catch(() => ({}))) as Summary & Failure;
      if (!res.ok) {
        setPreview(null);
        setFail({ error: body.error ?? res.statusText, issues: body.issues });
      } else if (dryRun) {
        setPreview(body);
      } else {
        setPreview(null);
        setDone(body);
        form.reset();
        router.refresh();
      }
    } catch (err) {
      setFail({ error: String(err) });
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void send(true);
  }

  const needsRate = fail?.issues?.some((i) => i.path === "rate") ?? false;
  const needsCurrency = fail?.issues?.some((i) => i.path === "currency") ?? false;
  const summary = preview ?? done;
  const btn =
    "rounded-md px-3 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-50";

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-2 rounded-lg border border-dashed border-slate-300 bg-slate-50 p-3" data-spend-upload>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-[14rem] flex-1">
          <label htmlFor={id} className="block text-xs font-medium text-slate-600">
            {labels.uploadTitle}
          </label>
          <input
            id={id}
            name="file"
            type="file"
            accept=".csv,.tsv,text/csv"
            required
            onChange={() => {
              setPreview(null);
              setDone(null);
              setFail(null);
            }}
            className="mt-1 block w-full text-xs text-slate-600 file:mr-2 file:rounded-md file:border-0 file:bg-indigo-50 file:px-2 file:py-1 file:text-indigo-700"
          />
          <p className="mt-1 text-[11px] text-slate-400">{labels.uploadHint}</p>
        </div>
        <label className="block text-xs font-medium text-slate-600">
          {labels.source}
          <input name="source" type="text" maxLength={500} placeholder={labels.sourceHint} className="mt-1 block w-40 rounded-md border border-slate-300 px-2 py-1 text-sm" />
        </label>
        <label className={`block text-xs font-medium ${needsCurrency ? "text-rose-700" : "text-slate-600"}`}>
          {labels.currencyField}
          <input
            name="currency"
            type="text"
            maxLength={3}
            placeholder={labels.currencyHint}
            aria-invalid={needsCurrency || undefined}
            className={`mt-1 block w-32 rounded-md border px-2 py-1 text-sm uppercase ${needsCurrency ? "border-rose-400 ring-1 ring-rose-300" : "border-slate-300"}`}
            data-currency-input
          />
        </label>
        <label className={`block text-xs font-medium ${needsRate ? "text-rose-700" : "text-slate-600"}`}>
          {labels.rate}
          <input
            name="rate"
            type="text"
            inputMode="decimal"
            placeholder={labels.rateHint.replace("{app}", appCurrency)}
            aria-invalid={needsRate || undefined}
            className={`mt-1 block w-44 rounded-md border px-2 py-1 text-sm ${needsRate ? "border-rose-400 ring-1 ring-rose-300" : "border-slate-300"}`}
            data-rate-input
          />
        </label>
        <button type="submit" disabled={busy} className={`${btn} bg-white text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50`} data-spend-preview>
          {labels.preview}
        </button>
      </div>

      {fail ? (
        <p role="alert" className="text-xs text-rose-700" data-spend-error>
          {fail.error}
          {fail.issues?.length ? ` — ${fail.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ")}` : ""}
        </p>
      ) : null}

      {summary ? (
        <div className="rounded-md bg-white p-3 text-sm ring-1 ring-slate-200" data-spend-summary={summary.dry_run ? "preview" : "imported"} role="status">
          <p className="mb-2 font-medium text-slate-800">{summary.dry_run ? labels.preview : labels.imported}</p>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
            <dt className="text-slate-500">{labels.format}</dt>
            <dd className="font-medium text-slate-900" data-spend-format={summary.format}>
              {labels.formats[summary.format] ?? summary.format}
              {summary.source ? ` → ${summary.source}` : ""}
            </dd>
            <dt className="text-slate-500">{labels.rows}</dt>
            <dd className="tabular-nums text-slate-900">{summary.rows}</dd>
            <dt className="text-slate-500">{labels.span}</dt>
            <dd className="tabular-nums text-slate-900">{summary.start_date ? `${summary.start_date} – ${summary.end_date}` : "—"}</dd>
            <dt className="text-slate-500">{labels.total}</dt>
            <dd className="tabular-nums font-semibold text-slate-900">{money(summary.total)}</dd>
            <dt className="text-slate-500">{labels.currency}</dt>
            <dd className="text-slate-900">
              {summary.currency ? `${summary.currency}${summary.rate !== null ? ` × ${summary.rate}` : ""}` : appCurrency}
              {summary.total_original !== null && summary.currency ? ` (${summary.total_original} ${summary.currency})` : ""}
            </dd>
            <dt className="text-slate-500">
              {labels.added} / {labels.replaced}
            </dt>
            <dd className="tabular-nums text-slate-900">
              {summary.added} / {summary.replaced}
            </dd>
          </dl>
          {summary.unmatched > 0 ? (
            <p className="mt-2 text-xs text-amber-700" data-spend-unmatched={summary.unmatched}>
              {labels.unmatched.replace("{n}", String(summary.unmatched))}
            </p>
          ) : null}
          {summary.skipped.length ? (
            <details className="mt-2 text-xs text-slate-600">
              <summary>
                {labels.skipped}: {summary.skipped.length}
              </summary>
              <ul className="mt-1 max-h-32 overflow-auto">
                {summary.skipped.slice(0, 50).map((s) => (
                  <li key={s.line}>
                    {labels.line} {s.line}: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {preview ? (
            <div className="mt-3 flex gap-2">
              <button type="button" disabled={busy || preview.rows === 0} onClick={() => void send(false)} className={`${btn} bg-indigo-600 text-white hover:bg-indigo-700`} data-spend-import>
                {labels.importNow}
              </button>
              <button type="button" disabled={busy} onClick={() => setPreview(null)} className={`${btn} text-slate-600 hover:bg-slate-100`}>
                {labels.cancel}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
