"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";

type Labels = { uploadSpend: string; uploadSpendHint: string; upload: string; uploaded: string };

/** Admin-only ad-spend CSV upload: POST /api/utm/ad-spend (multipart), then re-render the ROI block. */
export function SpendUpload({ labels }: { labels: Labels }) {
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) return;
    setBusy(true);
    setMsg(null);
    try {
      const res = await fetch("/api/utm/ad-spend", { method: "POST", body: data });
      const body = (await res.json().catch(() => ({}))) as { rows?: number; error?: string; issues?: { path: string; message: string }[] };
      if (res.ok) {
        setMsg({ ok: true, text: `${labels.uploaded}: ${body.rows ?? 0}` });
        form.reset();
        router.refresh();
      } else {
        const details = body.issues?.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join("; ");
        setMsg({ ok: false, text: `${body.error ?? res.statusText}${details ? ` — ${details}` : ""}` });
      }
    } catch (err) {
      setMsg({ ok: false, text: String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2 rounded-lg border border-dashed border-slate-300 bg-slate-50 p-3" data-spend-upload>
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="block text-xs font-medium text-slate-600">
          {labels.uploadSpend}
        </label>
        <input id={id} name="file" type="file" accept=".csv,text/csv" required className="mt-1 block w-full text-xs text-slate-600 file:mr-2 file:rounded-md file:border-0 file:bg-indigo-50 file:px-2 file:py-1 file:text-indigo-700" />
        <p className="mt-1 text-[11px] text-slate-400">{labels.uploadSpendHint}</p>
      </div>
      <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
        {labels.upload}
      </button>
      {msg ? (
        <p role="status" className={`w-full text-xs ${msg.ok ? "text-emerald-700" : "text-rose-700"}`}>
          {msg.text}
        </p>
      ) : null}
    </form>
  );
}
