"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import type { ToolStrings } from "@/lib/i18n/tools";
import { parseList, type UtmRules } from "@/lib/links/rules";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

export function UtmRulesForm({ rules, s, admin }: { rules: UtmRules; s: ToolStrings; admin: boolean }) {
  const router = useRouter();
  const id = useId();
  const [lowercase, setLowercase] = useState(rules.lowercase);
  const [sources, setSources] = useState(rules.allowed_sources.join(", "));
  const [mediums, setMediums] = useState(rules.allowed_mediums.join(", "));
  const [state, setState] = useState<"idle" | "busy" | "saved" | string>("idle");

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setState("busy");
    const res = await fetch("/api/utm/links/rules", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lowercase, allowed_sources: parseList(sources), allowed_mediums: parseList(mediums) }),
    });
    if (res.ok) {
      setState("saved");
      router.refresh();
    } else {
      const a = (await res.json().catch(() => ({}))) as { error?: string; issues?: { path: string; message: string }[] };
      setState(apiErrorText(pageLocale(), res.status, a).text);
    }
  }

  const area = "w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:bg-slate-50";
  return (
    <form onSubmit={onSubmit} className="space-y-3" data-testid="utm-rules-form">
      <label className="inline-flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="lowercase" checked={lowercase} disabled={!admin} onChange={(e) => setLowercase(e.target.checked)} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
        {s.rulesLowercase}
      </label>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-src`} className="mb-1 block text-xs font-medium text-slate-600">
            {s.rulesSources}
          </label>
          <textarea id={`${id}-src`} name="allowed_sources" rows={2} value={sources} disabled={!admin} onChange={(e) => setSources(e.target.value)} placeholder="google, facebook, newsletter" className={area} />
        </div>
        <div>
          <label htmlFor={`${id}-med`} className="mb-1 block text-xs font-medium text-slate-600">
            {s.rulesMediums}
          </label>
          <textarea id={`${id}-med`} name="allowed_mediums" rows={2} value={mediums} disabled={!admin} onChange={(e) => setMediums(e.target.value)} placeholder="cpc, email, social" className={area} />
        </div>
      </div>
      {admin ? (
        <div className="flex items-center gap-3">
          <button type="submit" disabled={state === "busy"} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-50">
            {s.rulesSave}
          </button>
          {state === "saved" ? <span className="text-sm text-emerald-700">✓</span> : state !== "idle" && state !== "busy" ? <span className="text-sm text-rose-700">{state}</span> : null}
        </div>
      ) : null}
    </form>
  );
}
