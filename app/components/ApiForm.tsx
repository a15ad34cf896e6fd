"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

/**
 * A small settings form that sends JSON to an admin route handler and refreshes the server
 * components on success. The server decides (withGuard role admin → 403 for viewers); this only
 * shows what it answered. A `reveal` field of the answer (a new API token, a share URL) is shown
 * once, with a copy button.
 */

export type Field =
  | { kind: "text" | "email" | "password"; name: string; label: string; required?: boolean; defaultValue?: string; placeholder?: string }
  | { kind: "number"; name: string; label: string; defaultValue?: number; min?: number; max?: number }
  | { kind: "select"; name: string; label: string; options: { value: string; label: string }[]; defaultValue?: string }
  | { kind: "checkboxes"; name: string; label: string; options: { value: string; label: string }[]; defaultValue?: string[] }
  | { kind: "hidden"; name: string; value: string };

type Answer = { error?: string; issues?: { path: string; message: string }[] } & Record<string, unknown>;

export function ApiForm({
  endpoint,
  fields,
  submit,
  reveal,
  revealLabel,
  testId,
}: {
  endpoint: string;
  fields: Field[];
  submit: string;
  /** Answer key to show once (e.g. "token", "url"). */
  reveal?: string;
  revealLabel?: string;
  testId?: string;
}) {
  const router = useRouter();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errorDetail, setErrorDetail] = useState<string>("");
  const [revealed, setRevealed] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const fd = new FormData(form);
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.kind === "checkboxes") body[f.name] = fd.getAll(f.name).map(String);
      else if (f.kind === "number") body[f.name] = Number(fd.get(f.name));
      else if (f.kind === "hidden") body[f.name] = f.value;
      else body[f.name] = String(fd.get(f.name) ?? "");
    }
    setBusy(true);
    setError(null);
    setRevealed(null);
    try {
      const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const answer = (await res.json().catch(() => ({}))) as Answer;
      if (!res.ok) {
        const labels = Object.fromEntries(fields.filter((f) => f.kind !== "hidden").map((f) => [f.name, (f as { label: string }).label]));
        const shown = apiErrorText(pageLocale(), res.status, answer, labels);
        setError(shown.text);
        setErrorDetail(shown.detail);
        return;
      }
      if (reveal && typeof answer[reveal] === "string") {
        const v = answer[reveal] as string;
        setRevealed(v.startsWith("/") ? `${window.location.origin}${v}` : v);
      }
      form.reset();
      router.refresh();
    } catch (err) {
      setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
  return (
    <form onSubmit={onSubmit} className="space-y-3" data-testid={testId}>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {fields.map((f) => {
          const fid = `${id}-${f.name}`;
          if (f.kind === "hidden") return <input key={f.name} type="hidden" name={f.name} value={f.value} />;
          if (f.kind === "checkboxes") {
            return (
              <fieldset key={f.name}>
                <legend className="text-xs font-medium text-slate-600">{f.label}</legend>
                <div className="mt-2 flex gap-3">
                  {f.options.map((o) => (
                    <label key={o.value} className="inline-flex items-center gap-1.5 text-sm">
                      <input type="checkbox" name={f.name} value={o.value} defaultChecked={f.defaultValue?.includes(o.value)} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
                      {o.label}
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          }
          return (
            <div key={f.name} className="min-w-0">
              <label htmlFor={fid} className="block text-xs font-medium text-slate-600">
                {f.label}
              </label>
              {f.kind === "select" ? (
                <select id={fid} name={f.name} defaultValue={f.defaultValue} className={input}>
                  {f.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : f.kind === "number" ? (
                <input id={fid} name={f.name} type="number" defaultValue={f.defaultValue} min={f.min} max={f.max} className={input} />
              ) : (
                <input id={fid} name={f.name} type={f.kind} required={f.required} defaultValue={f.defaultValue} placeholder={f.placeholder} className={input} />
              )}
            </div>
          );
        })}
      </div>
      <button type="submit" disabled={busy} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
        {submit}
      </button>
      {error ? (
        <p role="alert" className="text-sm text-rose-700" title={errorDetail || undefined}>
          {error}
        </p>
      ) : null}
      {revealed ? (
        <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-sm" data-testid="revealed">
          {revealLabel ? <p className="mb-1 font-medium text-emerald-900">{revealLabel}</p> : null}
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 text-xs text-slate-800 ring-1 ring-emerald-200" data-revealed>
              {revealed}
            </code>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(revealed)} className="rounded-md border border-emerald-300 bg-white px-2 py-1 text-xs font-medium text-emerald-800">
              Copy
            </button>
          </div>
        </div>
      ) : null}
    </form>
  );
}

/** One button that calls DELETE or PATCH on an admin route, then refreshes. */
export function ApiButton({
  endpoint,
  method,
  body,
  label,
  confirmText,
  tone = "danger",
}: {
  endpoint: string;
  method: "DELETE" | "PATCH";
  body?: Record<string, unknown>;
  label: string;
  confirmText?: string;
  tone?: "danger" | "neutral";
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(endpoint, { method, headers: body ? { "content-type": "application/json" } : undefined, body: body ? JSON.stringify(body) : undefined });
      if (!res.ok) {
        const a = (await res.json().catch(() => ({}))) as Answer;
        setError(apiErrorText(pageLocale(), res.status, a).text);
        return;
      }
      router.refresh();
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => void run()}
        disabled={busy}
        className={`rounded-md px-2 py-1 text-xs font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-50 ${tone === "danger" ? "text-rose-700 ring-1 ring-rose-200 hover:bg-rose-50" : "text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`}
      >
        {label}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-rose-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
