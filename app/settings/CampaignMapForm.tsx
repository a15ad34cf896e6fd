"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { CostStrings } from "@/lib/i18n/costs";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

type Entry = { utm_source: string; platform_campaign: string; utm_campaign: string };

/** The campaign map editor: PUT /api/utm/campaign-map with the whole list (it replaces the map). */
export function CampaignMapForm({ initial, seen, s, admin }: { initial: Entry[]; seen: { utm_source: string; platform_campaign: string }[]; s: CostStrings; admin: boolean }) {
  const router = useRouter();
  const listId = useId();
  const [items, setItems] = useState<Entry[]>(initial);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const set = (i: number, k: keyof Entry, v: string) => setItems((xs) => xs.map((x, j) => (j === i ? { ...x, [k]: v } : x)));

  async function save() {
    setBusy(true);
    setMsg(null);
    try {
      const body = items.filter((x) => x.utm_source.trim() || x.platform_campaign.trim() || x.utm_campaign.trim());
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

  const input = "w-full rounded-md border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50";
  return (
    <div className="space-y-3">
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
