"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { ALERT_CONDITIONS, ALERT_METRICS, CHANNEL_KINDS, MAX_WINDOW_HOURS, REPORT_CHANNEL_KINDS, type ChannelKind } from "@/lib/alerts/vocabulary";
import { ALERTS_STRINGS } from "@/lib/i18n/alerts";
import type { Locale } from "@/lib/i18n/pick-locale";
import { apiErrorText, pageLocale } from "@/lib/i18n/api-errors";

/**
 * The three small forms of Settings › Alerts: add a channel, a rule, a report subscription. Each
 * posts JSON to /api/utm/alerts and shows what the server answered (it validates; the form only
 * shapes the body). A generated webhook secret is shown once.
 */

type ChannelOption = { id: number; name: string; kind: ChannelKind };
type Answer = { error?: string; issues?: { path: string; message: string }[]; secret?: string };

const input = "w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
const button = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:opacity-50";

function usePost() {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error?: string; secret?: string; ok?: boolean }>({ busy: false });
  async function post(body: Record<string, unknown>) {
    setState({ busy: true });
    const res = await fetch("/api/utm/alerts", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const a = (await res.json().catch(() => ({}))) as Answer;
    if (!res.ok) return setState({ busy: false, error: apiErrorText(pageLocale(), res.status, a).text });
    setState({ busy: false, ok: true, secret: a.secret });
    router.refresh();
  }
  return { state, post };
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

function Status({ state, savedLabel, secretLabel }: { state: ReturnType<typeof usePost>["state"]; savedLabel: string; secretLabel: string }) {
  if (state.error) return <p className="text-sm text-rose-700" role="alert">{state.error}</p>;
  if (state.secret)
    return (
      <p className="text-sm text-slate-700">
        {secretLabel} <code className="select-all break-all rounded bg-slate-100 px-1">{state.secret}</code>
      </p>
    );
  return state.ok ? <p className="text-sm text-emerald-700">✓ {savedLabel}</p> : null;
}

/** `utm_source=google&not_country=UA` → `{utm_source: "google", not_country: "UA"}` (repeated names → lists). */
export function parseFilterText(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text.trim().replace(/^\?/, ""))) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function AlertsForms({ locale, channels, periods }: { locale: Locale; channels: ChannelOption[]; periods: Record<"day" | "week" | "month", string> }) {
  const s = ALERTS_STRINGS[locale];
  const id = useId();
  const channel = usePost();
  const rule = usePost();
  const report = usePost();
  const [kind, setKind] = useState<ChannelKind>("slack");
  const chatChannels = channels.filter((c) => (REPORT_CHANNEL_KINDS as readonly string[]).includes(c.kind));

  function onChannel(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const secret = String(fd.get("secret") ?? "");
    void channel.post({ type: "channel", kind, name: String(fd.get("name") ?? ""), target: String(fd.get("target") ?? ""), ...(secret && (kind === "telegram" || kind === "webhook") ? { secret } : {}) });
  }
  function onRule(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    void rule.post({
      type: "rule",
      name: String(fd.get("name") ?? ""),
      metric: String(fd.get("metric")),
      condition: String(fd.get("condition")),
      threshold: Number(fd.get("threshold")),
      window_hours: Number(fd.get("window_hours")),
      filters: parseFilterText(String(fd.get("filters") ?? "")),
      channel_ids: fd.getAll("channel_ids").map(Number),
    });
  }
  function onReport(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    void report.post({ type: "report", channel_id: Number(fd.get("channel_id")), period: String(fd.get("period")), language: String(fd.get("language")) });
  }

  const box = "space-y-2 rounded-lg border border-slate-200 p-3";
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <form onSubmit={onChannel} className={box} data-testid="alerts-add-channel">
        <Field id={`${id}-ck`} label={s.kind}>
          <select id={`${id}-ck`} value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)} className={input}>
            {CHANNEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {s.kinds[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-cn`} label={s.name}>
          <input id={`${id}-cn`} name="name" required maxLength={120} className={input} />
        </Field>
        <Field id={`${id}-ct`} label={s.target}>
          <input id={`${id}-ct`} name="target" required maxLength={2000} placeholder={s.targetHints[kind]} className={input} />
        </Field>
        {kind === "telegram" || kind === "webhook" ? (
          <Field id={`${id}-cs`} label={s.secret}>
            <input id={`${id}-cs`} name="secret" type="password" autoComplete="off" required={kind === "telegram"} placeholder={s.secretHints[kind]} className={input} />
          </Field>
        ) : null}
        <button type="submit" disabled={channel.state.busy} className={button}>
          {s.addChannel}
        </button>
        <Status state={channel.state} savedLabel={s.saved} secretLabel={s.secretOnce} />
      </form>

      <form onSubmit={onRule} className={box} data-testid="alerts-add-rule">
        <Field id={`${id}-rn`} label={s.name}>
          <input id={`${id}-rn`} name="name" required maxLength={120} className={input} />
        </Field>
        <Field id={`${id}-rm`} label={s.metric}>
          <select id={`${id}-rm`} name="metric" className={input}>
            {ALERT_METRICS.map((m) => (
              <option key={m} value={m}>
                {s.metrics[m]}
              </option>
            ))}
          </select>
        </Field>
        <div className="grid grid-cols-3 gap-2">
          <div className="col-span-3">
            <Field id={`${id}-rc`} label={s.condition}>
              <select id={`${id}-rc`} name="condition" className={input}>
                {ALERT_CONDITIONS.map((c) => (
                  <option key={c} value={c}>
                    {s.conditions[c]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-span-2">
            <Field id={`${id}-rt`} label={s.threshold}>
              <input id={`${id}-rt`} name="threshold" type="number" min={0} step="any" required defaultValue={50} className={input} />
            </Field>
          </div>
          <Field id={`${id}-rw`} label={s.windowHours}>
            <input id={`${id}-rw`} name="window_hours" type="number" min={1} max={MAX_WINDOW_HOURS} defaultValue={1} className={input} />
          </Field>
        </div>
        <Field id={`${id}-rf`} label={s.filters}>
          <input id={`${id}-rf`} name="filters" placeholder={s.filtersHint} className={input} />
        </Field>
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-slate-600">{s.sendTo}</legend>
          {channels.length === 0 ? <p className="text-xs text-slate-400">{s.none}</p> : null}
          {channels.map((c) => (
            <label key={c.id} className="mr-3 inline-flex items-center gap-1 text-sm">
              <input type="checkbox" name="channel_ids" value={c.id} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
              {c.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={rule.state.busy} className={button}>
          {s.addRule}
        </button>
        <Status state={rule.state} savedLabel={s.saved} secretLabel={s.secretOnce} />
      </form>

      <form onSubmit={onReport} className={box} data-testid="alerts-add-report">
        <Field id={`${id}-pc`} label={s.channels}>
          <select id={`${id}-pc`} name="channel_id" required className={input}>
            {chatChannels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({s.kinds[c.kind]})
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-pp`} label={s.period}>
          <select id={`${id}-pp`} name="period" defaultValue="week" className={input}>
            {(["day", "week", "month"] as const).map((p) => (
              <option key={p} value={p}>
                {periods[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-pl`} label={s.language}>
          <select id={`${id}-pl`} name="language" defaultValue={locale} className={input}>
            <option value="uk">Українська</option>
            <option value="en">English</option>
          </select>
        </Field>
        <button type="submit" disabled={report.state.busy || chatChannels.length === 0} className={button}>
          {s.addReport}
        </button>
        <Status state={report.state} savedLabel={s.saved} secretLabel={s.secretOnce} />
      </form>
    </div>
  );
}
