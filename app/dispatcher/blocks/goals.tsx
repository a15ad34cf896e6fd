import { getEvents, type EventRow, type EventsReport } from "@/lib/analytics/events";
import { Bar } from "@/app/components/Bar";
import { DataTable, type Column } from "@/app/components/DataTable";
import { Empty } from "@/app/components/States";
import type { Dict } from "@/lib/i18n";
import type { Formatters } from "@/lib/i18n/format";
import { load, type DashboardContext } from "../context";
import type { DashStrings } from "@/lib/i18n";
import { db, orError } from "./shared";

/**
 * Goals (SPEC 12 `events`): one row per event kind in the selected sessions, a custom event such
 * as `newsletter_signup` measured like a funnel step (sessions with it, their conversion rate).
 */
export function GoalsView({ data, t, s, fmt }: { data: EventsReport; t: Dict; s: DashStrings; fmt: Formatters }) {
  const max = Math.max(1, ...data.rows.map((r) => r.sessions));
  const label = (r: EventRow) => (r.name ?? s.eventTypes[r.type] ?? r.type);
  const columns: Column<EventRow>[] = [
    { key: "event", label: s.goals.event, render: (r) => (r.name ? <span className="font-mono text-[13px]">{r.name}</span> : label(r)) },
    { key: "bar", label: "", render: (r) => <Bar value={(r.sessions / max) * 100} />, className: "w-20 min-w-14" },
    { key: "sessions", label: s.goals.sessions, numeric: true, render: (r) => fmt.int(r.sessions) },
    { key: "events", label: s.goals.events, numeric: true, render: (r) => fmt.int(r.events) },
    { key: "conversion_rate", label: s.goals.conversion_rate, numeric: true, render: (r) => fmt.pct(r.conversion_rate) },
  ];
  return <DataTable caption={s.cards.goals} columns={columns} rows={data.rows} rowKey={(r) => `${r.type}:${r.name ?? ""}`} empty={<Empty text={t.noData} />} />;
}

export async function GoalsBlock({ ctx, s }: { ctx: DashboardContext; s: DashStrings }) {
  const r = await load(ctx, "goals", async () => getEvents(await db(), ctx.q));
  return orError(r, (data) => <GoalsView data={data} t={ctx.i18n.t} s={s} fmt={ctx.i18n.fmt} />);
}
