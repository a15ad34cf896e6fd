import { getDb } from "@/lib/db/client";
import type { Locale } from "@/lib/i18n/pick-locale";
import { getI18n } from "@/lib/http/locale";
import { DROP_REASONS, trackerHealth, type DropReason } from "@/lib/ingest/tracker-health";

/**
 * Settings → Tracker health (SPEC 16): events stored in the last hour and day, the last one's time,
 * and hits dropped in the last day by reason, so a shop with an empty dashboard sees why. Counts
 * only (lib/ingest/tracker-health.ts); visible to every signed-in user.
 */

const STRINGS: Record<
  Locale,
  { title: string; lastHour: string; lastDay: string; lastEvent: string; never: string; dropped: string; reasons: Record<DropReason, string>; hint: string }
> = {
  uk: {
    title: "Стан трекера",
    lastHour: "Подій за годину",
    lastDay: "Подій за добу",
    lastEvent: "Остання подія",
    never: "ще не було",
    dropped: "Відкинуто за добу",
    reasons: { bot: "боти", origin: "чужий origin", invalid: "некоректні" },
    hint: "Відкинутий запит до /api/collect має заголовок X-Utmd-Dropped з причиною (bot, origin).",
  },
  en: {
    title: "Tracker health",
    lastHour: "Events, last hour",
    lastDay: "Events, last day",
    lastEvent: "Last event",
    never: "none yet",
    dropped: "Dropped, last day",
    reasons: { bot: "bots", origin: "origin not allowed", invalid: "invalid" },
    hint: "A dropped hit to /api/collect is answered with an X-Utmd-Dropped header naming the reason (bot, origin).",
  },
};

export async function TrackerHealth() {
  const [db, { locale, fmt }] = await Promise.all([getDb(), getI18n()]);
  const h = await trackerHealth(db);
  const s = STRINGS[locale];
  const tile = (label: string, value: string, testId: string) => (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-lg font-semibold text-slate-800" data-testid={testId}>
        {value}
      </div>
    </div>
  );
  return (
    <section id="tracker-health" aria-labelledby="tracker-health-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id="tracker-health-title" className="mb-4 text-base font-semibold text-slate-800">
        {s.title}
      </h2>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {tile(s.lastHour, fmt.int(h.events_last_hour), "tracker-events-hour")}
        {tile(s.lastDay, fmt.int(h.events_last_day), "tracker-events-day")}
        {tile(s.lastEvent, h.last_event_at ? fmt.dateTime(h.last_event_at) : s.never, "tracker-last-event")}
        <div className="rounded-lg border border-slate-200 bg-slate-50 p-3">
          <div className="text-xs uppercase tracking-wide text-slate-500">{s.dropped}</div>
          <ul className="mt-1 space-y-0.5 text-sm text-slate-700" data-testid="tracker-dropped">
            {DROP_REASONS.map((r) => (
              <li key={r} className="flex justify-between gap-2">
                <span>{s.reasons[r]}</span>
                <span className="font-semibold tabular-nums">{fmt.int(h.dropped_last_day[r])}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <p className="mt-3 text-xs text-slate-500">{s.hint}</p>
    </section>
  );
}
