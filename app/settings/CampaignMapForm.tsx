"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { CampaignSuggestion } from "@/lib/analytics/campaign-suggestions";
import type { CostStrings } from "@/lib/i18n/costs";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

type Entry = { utm_source: string; platform_campaign: string; utm_campaign: string };

/**
 * The campaign map editor: PUT /api/utm/campaign-map with the whole list (it replaces the map).
 * Suggestions (SPEC 18) are accepted in one click: the entry is added and the map saved at once.
 */
export function CampaignMapForm({
  initial,
  seen,
  suggestions,
  s,
  admin,
}: {
  initial: Entry[];
  seen: { utm_source: string; platform_campaign: string }[];
  suggestions: CampaignSuggestion[];
  s: CostStrings;
  admin: boolean;
}) {
  const router = useRouter();
  const listId = useId();
  const [items, setItems] = useState<Entry[]>(initial);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const set = (i: number, k: keyof Entry, v: string) => setItems((xs) => xs.map((x, j) => (j === i ? { ...x, [k]: v } : x)));

  async function save(list: Entry[] = items) {
    setBusy(true);
    setMsg(null);
    try {
      const body = list.filter((x) => x.utm_source.trim() || x.platform_campaign.trim() || x.utm_campaign.trim());
      const res = await fetch("/api/utm/campaign-map", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const out = (await res.json().catch(() => ({}))) as { remapped?: number; error?: string; issues?: { path: string; message: string }[] };
      if (res.ok) {
        setMsg({ ok: true, text: `${s.saved}: ${out.remapped ?? 0}` });
        router.refresh();
      } else {
        setMsg({ ok: false, text: apiErrorText(pageLocale(), res.status, out).text });
      }
    } catch (err) {
      setMsg({ ok: false, text: String(err) });
    } finally {
      setBusy(false);
    }
  }

  function accept(x: CampaignSuggestion) {
    const entry = { utm_source: x.utm_source, platform_campaign: x.platform_campaign, utm_campaign: x.utm_campaign };
    // A platform campaign is mapped once: the accepted entry replaces any earlier one.
    const next = [...items.filter((i) => !(i.utm_source === entry.utm_source && i.platform_campaign === entry.platform_campaign)), entry];
    setItems(next);
    void save(next);
  }

  const input = "w-full rounded-md border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50";
  return (
    <div className="space-y-3">
      {suggestions.length ? (
        <div className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-campaign-suggestions={suggestions.length}>
          <p className="text-sm font-medium text-amber-900">{s.suggestionsTitle}</p>
          <p className="mb-2 text-xs text-amber-800">{s.suggestionsHint}</p>
          <ul className="space-y-1 text-sm">
            {suggestions.map((x) => (
              <li key={`${x.utm_source}\u0000${x.platform_campaign}\u0000${x.utm_campaign}`} className="flex flex-wrap items-center gap-2">
                <span className="text-slate-500">{x.utm_source}</span>
                <span className="font-medium text-slate-900">{x.platform_campaign}</span>
                <span aria-hidden="true">→</span>
                <code className="rounded bg-white px-1 text-slate-900">{x.utm_campaign}</code>
                <span className="text-xs text-slate-500">
                  {s.reasons[x.reason] ?? x.reason} · {x.sessions} {s.sessionsShort}
                </span>
                {admin ? (
                  <button type="button" disabled={busy} onClick={() => accept(x)} className="rounded-md px-2 py-0.5 text-xs font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50 disabled:opacity-50" data-campaign-accept>
                    {s.accept}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <datalist id={listId}>
        {seen.map((x) => (
          <option key={`${x.utm_source}\u0000${x.platform_campaign}`} value={x.platform_campaign}>
            {x.utm_source}
          </option>
        ))}
      </datalist>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="px-2 py-1 font-medium">utm_source</th>
              <th className="px-2 py-1 font-medium">{s.platformCampaign}</th>
              <th className="px-2 py-1 font-medium">{s.utmCampaign}</th>
              {admin ? <th className="px-2 py-1" /> : null}
            </tr>
          </thead>
          <tbody data-campaign-map-rows={items.length}>
            {items.map((x, i) => (
              <tr key={i}>
                <td className="px-2 py-1">
                  <input aria-label="utm_source" className={input} value={x.utm_source} disabled={!admin} onChange={(e) => set(i, "utm_source", e.target.value)} placeholder="google" />
                </td>
                <td className="px-2 py-1">
                  <input aria-label={s.platformCampaign} className={input} value={x.platform_campaign} disabled={!admin} list={listId} onChange={(e) => set(i, "platform_campaign", e.target.value)} />
                </td>
                <td className="px-2 py-1">
                  <input aria-label={s.utmCampaign} className={input} value={x.utm_campaign} disabled={!admin} onChange={(e) => set(i, "utm_campaign", e.target.value)} />
                </td>
                {admin ? (
                  <td className="px-2 py-1 text-right">
                    <button type="button" className="text-xs text-rose-700 hover:underline" onClick={() => setItems((xs) => xs.filter((_, j) => j !== i))}>
                      {s.remove}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin ? (
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" onClick={() => setItems((xs) => [...xs, { utm_source: "", platform_campaign: "", utm_campaign: "" }])} className="rounded-md px-3 py-1.5 text-sm text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50">
            {s.addRow}
          </button>
          <button type="button" disabled={busy} onClick={() => void save()} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50" data-campaign-map-save>
            {s.save}
          </button>
          {msg ? (
            <span role="status" className={`text-xs ${msg.ok ? "text-emerald-700" : "text-rose-700"}`}>
              {msg.text}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
