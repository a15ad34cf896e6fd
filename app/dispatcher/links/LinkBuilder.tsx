"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState, type FormEvent } from "react";
import { buildTaggedUrl, UTM_FIELDS } from "@/lib/links/build";
import { checkLink, type LinkInput, type UtmRules } from "@/lib/links/rules";
import type { ToolStrings } from "@/lib/i18n/tools";

type Issue = { path: string; message: string };

/** Copies `text` to the clipboard (falls back to selecting it in a prompt when the API is refused). */
export function CopyButton({ text, label, done, testId }: { text: string; label: string; done: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          window.prompt(label, text);
        }
      }}
      className="rounded-md px-2 py-1 text-xs font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      {copied ? `✓ ${done}` : label}
    </button>
  );
}

export function DeleteLinkButton({ id, label, confirmText }: { id: number; label: string; confirmText: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-1">
      <button
        type="button"
        onClick={async () => {
          if (!window.confirm(confirmText)) return;
          const res = await fetch(`/api/utm/links/${id}`, { method: "DELETE", headers: { "content-type": "application/json" } });
          if (res.ok) router.refresh();
          else setError(String(res.status));
        }}
        className="rounded-md px-2 py-1 text-xs font-medium text-rose-700 ring-1 ring-rose-200 hover:bg-rose-50"
      >
        {label}
      </button>
      {error ? <span className="text-xs text-rose-700">{error}</span> : null}
    </span>
  );
}

/**
 * The builder form: checks the naming rules as you type (the same checkLink the API runs), shows
 * the tagged URL to copy, and (admins) saves it.
 */
export function LinkBuilder({ rules, s, dims, canSave }: { rules: UtmRules; s: ToolStrings; dims: Record<string, string>; canSave: boolean }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({ base_url: "", name: "", utm_source: "", utm_medium: "", utm_campaign: "", utm_content: "", utm_term: "" });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverIssues, setServerIssues] = useState<Issue[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const { link, issues } = useMemo(() => checkLink(values as LinkInput, rules), [values, rules]);
  const url = useMemo(() => {
    if (issues.some((i) => i.path === "base_url")) return "";
    try {
      return buildTaggedUrl(link.base_url, link);
    } catch {
      return "";
    }
  }, [issues, link]);
  const valid = issues.length === 0;
  const issueOf = (f: string) => (touched[f] ? issues.find((i) => i.path === f) : undefined) ?? serverIssues.find((i) => i.path === f);

  const set = (f: string, v: string) => {
    setValues((old) => ({ ...old, [f]: v }));
    setTouched((old) => ({ ...old, [f]: true }));
    setSaved(false);
    setServerIssues([]);
  };

  async function onSave(e: FormEvent) {
    e.preventDefault();
    setTouched(Object.fromEntries(["base_url", ...UTM_FIELDS].map((f) => [f, true])));
    if (!valid) return;
    setBusy(true);
    try {
      const res = await fetch("/api/utm/links", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(values) });
      if (res.ok) {
        setSaved(true);
        router.refresh();
      } else {
        const a = (await res.json().catch(() => ({}))) as { error?: string; issues?: Issue[] };
        setServerIssues(a.issues?.length ? a.issues : [{ path: "(root)", message: `${res.status} ${a.error ?? ""}` }]);
      }
    } finally {
      setBusy(false);
    }
  }

  const input = (f: string, label: string, opts: { placeholder?: string; list?: string[]; required?: boolean; wide?: boolean } = {}) => {
    const issue = issueOf(f);
    return (
      <div className={opts.wide ? "sm:col-span-2 lg:col-span-3" : ""}>
        <label htmlFor={`${id}-${f}`} className="mb-1 block text-xs font-medium text-slate-600">
          {label} {opts.required ? <span className="text-slate-400">· {s.required}</span> : null}
        </label>
        <input
          id={`${id}-${f}`}
          name={f}
          value={values[f]}
          onChange={(e) => set(f, e.target.value)}
          placeholder={opts.placeholder}
          list={opts.list?.length ? `${id}-${f}-list` : undefined}
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? `${id}-${f}-err` : undefined}
          autoCapitalize="none"
          spellCheck={false}
          className={`w-full rounded-md border px-2.5 py-1.5 text-sm focus:outline-none focus:ring-1 ${issue ? "border-rose-400 focus:border-rose-500 focus:ring-rose-500" : "border-slate-300 focus:border-indigo-500 focus:ring-indigo-500"}`}
        />
        {opts.list?.length ? (
          <datalist id={`${id}-${f}-list`}>
            {opts.list.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        ) : null}
        {issue ? (
          <p id={`${id}-${f}-err`} className="mt-1 text-xs text-rose-700" data-issue={f}>
            {issue.message}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form onSubmit={onSave} className="space-y-4" noValidate>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {input("base_url", s.baseUrl, { placeholder: "https://shop.example/sale", required: true, wide: true })}
        {input("utm_source", `${dims.utm_source} (utm_source)`, { placeholder: "google", list: rules.allowed_sources, required: true })}
        {input("utm_medium", `${dims.utm_medium} (utm_medium)`, { placeholder: "cpc", list: rules.allowed_mediums, required: true })}
        {input("utm_campaign", `${dims.utm_campaign} (utm_campaign)`, { placeholder: "spring_sale", required: true })}
        {input("utm_content", `${dims.utm_content} (utm_content)`, { placeholder: "banner_a" })}
        {input("utm_term", `${dims.utm_term} (utm_term)`, { placeholder: "running shoes" })}
        {input("name", s.linkName)}
      </div>
      <div className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
        <div className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{s.taggedUrl}</div>
        <div className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 break-all text-sm text-slate-800" data-testid="tagged-url">
            {url || "—"}
          </code>
          {url ? <CopyButton text={url} label={s.copy} done={s.copied} testId="copy-tagged-url" /> : null}
        </div>
      </div>
      {serverIssues.some((i) => i.path === "(root)") ? <p className="text-sm text-rose-700">{serverIssues.find((i) => i.path === "(root)")?.message}</p> : null}
      {canSave ? (
        <div className="flex items-center gap-3">
          <button
            type="submit"
            disabled={busy}
            data-testid="save-link"
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-50"
          >
            {s.saveLink}
          </button>
          {saved ? <span className="text-sm text-emerald-700">✓</span> : null}
        </div>
      ) : null}
    </form>
  );
}

