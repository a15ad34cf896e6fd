"use client";

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { Realtime } from "@/lib/analytics/realtime";
import { fill, INTL_LOCALE } from "@/lib/i18n/format";
import type { Locale } from "@/lib/i18n/pick-locale";
import type { WatchStrings } from "@/lib/i18n/watch";

/**
 * The realtime block (SPEC 20): the server renders the first answer; this polls
 * GET /api/utm/realtime (the view's filters, `share=` on a shared view) every `intervalMs` with
 * fetch, without reloading the page. Polling stops while the tab is hidden and resumes, with an
 * immediate refresh, when it is shown again. A failed refresh keeps the last figures and says so.
 */

export const REALTIME_POLL_MS = 15_000;

const onVisibilityChange = (cb: () => void) => {
  document.addEventListener("visibilitychange", cb);
  return () => document.removeEventListener("visibilitychange", cb);
};

export function RealtimeBox({
  initial,
  href,
  s,
  locale,
  timeZone,
  currency,
  intervalMs = REALTIME_POLL_MS,
}: {
  initial: Realtime;
  href: string;
  s: WatchStrings;
  locale: Locale;
  timeZone: string;
  currency: string;
  intervalMs?: number;
}) {
  const [data, setData] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const hidden = useSyncExternalStore(onVisibilityChange, () => document.hidden, () => false);
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = async () => {
      inFlight.current?.abort();
      const ctl = new AbortController();
      inFlight.current = ctl;
      try {
        const res = await fetch(href, { signal: ctl.signal, cache: "no-store", credentials: "same-origin", headers: { accept: "application/json" } });
        const body = (await res.json().catch(() => ({}))) as Realtime & { error?: string };
        if (!res.ok) throw new Error(body.error ?? String(res.status));
        setData(body);
        setError(null);
      } catch (err) {
        if (!ctl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || document.hidden) return;
      timer = setTimeout(async () => {
        await refresh();
        schedule();
      }, intervalMs);
    };
    const onVisibility = () => {
      if (document.hidden) {
        clearTimeout(timer);
        inFlight.current?.abort();
      } else {
        void refresh().then(schedule);
      }
    };
    schedule();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight.current?.abort();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [href, intervalMs]);

  const tag = INTL_LOCALE[locale] ?? locale;
  const fmt = useMemo(
    () => ({
      int: new Intl.NumberFormat(tag),
      // The currency code, not its symbol: Node's ICU writes ₴ where Chromium's writes грн, and this
      // block is rendered on both sides (a mismatch there broke hydration of the whole page).
      money: new Intl.NumberFormat(tag, { style: "currency", currency, currencyDisplay: "code", maximumFractionDigits: 2 }),
      time: new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", timeZone }),
      clock: new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone }),
    }),
    [tag, currency, timeZone],
  );
  // "1 visitor", "5 відвідувачів": the count's plural form in the UI language.
  const plurals = useMemo(() => new Intl.PluralRules(tag), [tag]);
  const visitorsOf = (n: number) => `${fmt.int.format(n)} ${s.visitors[plurals.select(n) as keyof typeof s.visitors] ?? s.visitors.other}`;
  const max = Math.max(1, ...data.per_minute.map((m) => m.events));
  const list = "divide-y divide-slate-100 text-sm";

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1.2fr)]" data-testid="realtime" data-visitors={data.visitors} aria-live="polite">
      <div>
        <p className="flex items-baseline gap-2">
          <span className="relative flex h-2.5 w-2.5" aria-hidden="true">
            {hidden ? null : <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-60" />}
            <span className={`relative inline-flex h-2.5 w-2.5 rounded-full ${hidden ? "bg-slate-300" : "bg-emerald-500"}`} />
          </span>
          <span className="text-3xl font-semibold tabular-nums text-slate-900" data-testid="realtime-visitors">
            {fmt.int.format(data.visitors)}
          </span>
        </p>
        <p className="text-xs text-slate-500">{s.visitorsNow}</p>
        <p className="mt-1 text-xs text-slate-500">
          {s.eventsNow}: <span className="font-medium tabular-nums text-slate-700">{fmt.int.format(data.events)}</span>
        </p>
        <figure className="mt-3" aria-label={s.eventsPerMinute}>
          <svg viewBox={`0 0 ${data.per_minute.length * 6} 40`} className="h-12 w-full" preserveAspectRatio="none" role="img" aria-label={s.eventsPerMinute} data-testid="realtime-minutes">
            {data.per_minute.map((m, i) => {
              const h = m.events === 0 ? 0 : Math.max(2, (m.events / max) * 38);
              return (
                <rect key={m.minute} x={i * 6 + 0.5} y={40 - h} width={5} height={h} rx={1} fill={i === data.per_minute.length - 1 ? "#a5b4fc" : "#6366f1"}>
                  <title>{`${fmt.time.format(new Date(m.minute))}: ${m.events}`}</title>
                </rect>
              );
            })}
            <line x1={0} x2={data.per_minute.length * 6} y1={39.5} y2={39.5} stroke="#e2e8f0" strokeWidth={1} />
          </svg>
          <figcaption className="flex justify-between text-[10px] text-slate-400">
            <span>{fmt.time.format(new Date(data.from))}</span>
            <span>{s.eventsPerMinute}</span>
            <span>{fmt.time.format(new Date(data.to))}</span>
          </figcaption>
        </figure>
        <p className="mt-2 text-[11px] text-slate-400" data-testid="realtime-status">
          {hidden ? s.paused : fill(s.updatedAt, { t: fmt.clock.format(new Date(data.now)) })}
        </p>
        {error ? (
          <p role="status" className="text-[11px] text-rose-700">
            {fill(s.refreshFailed, { t: error })}
          </p>
        ) : null}
      </div>
      <Ranked title={s.topSources} rows={data.top_sources.map((r) => ({ key: r.key, value: visitorsOf(r.visitors) }))} empty={s.nothingNow} className={list} />
      <Ranked title={s.topPages} rows={data.top_pages.map((r) => ({ key: r.key, value: visitorsOf(r.visitors) }))} empty={s.nothingNow} className={list} />
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{s.lastOrders}</h3>
        {data.last_orders.length ? (
          <ul className={list} data-testid="realtime-orders">
            {data.last_orders.map((o, i) => (
              <li key={`${o.placed_at}:${i}`} className="flex items-baseline gap-2 py-1">
                <span className="shrink-0 tabular-nums text-xs text-slate-500">{fmt.time.format(new Date(o.placed_at))}</span>
                <span className="min-w-0 flex-1 truncate text-slate-700" title={`${o.utm_source} / ${o.utm_campaign}`}>
                  {o.utm_source} <span className="text-slate-400">/ {o.utm_campaign}</span>
                </span>
                <span className="shrink-0 font-medium tabular-nums text-slate-900">{fmt.money.format(o.total)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-400">{s.noOrders}</p>
        )}
      </div>
    </div>
  );
}

function Ranked({ title, rows, empty, className }: { title: string; rows: { key: string; value: string }[]; empty: string; className: string }) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{title}</h3>
      {rows.length ? (
        <ol className={className}>
          {rows.map((r) => (
            <li key={r.key} className="flex items-baseline gap-2 py-1">
              <span className="min-w-0 flex-1 truncate text-slate-700" title={r.key}>
                {r.key}
              </span>
              <span className="shrink-0 tabular-nums text-xs text-slate-500">{r.value}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-sm text-slate-400">{empty}</p>
      )}
    </div>
  );
}
