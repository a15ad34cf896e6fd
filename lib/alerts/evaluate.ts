import { sql, type SQL } from "drizzle-orm";
import { addDays, dateInZone } from "@/lib/analytics/params";
import { config } from "@/lib/config";
import { rows, type Db } from "@/lib/db/client";
import { dailySpendWithoutSessions, hourlyMetric, type Window } from "./metrics";
import { listRules, type AlertRule } from "./rules";
import { describeBreach, describeWindow } from "./summary";
import { DAILY_METRICS } from "./vocabulary";

/**
 * The hourly evaluation (SPEC 20, GET /api/cron/alerts). For each rule, the last complete window
 * (the `window_hours` hours ending at the start of the current UTC hour; spend: yesterday in
 * APP_TIMEZONE) is compared with its condition:
 * - drop / rise: change against the mean of the same window 1, 2, 3 and 4 weeks earlier; a baseline
 *   of 0 gives no change, so it never fires (nothing to compare with);
 * - at_most / at_least: the value against the fixed threshold (inclusive).
 *
 * Incidents are keyed by the evaluated window's end (`at`): opened_at = at, resolved_at = at. One
 * SQL statement opens an incident AND queues its messages (so a crash between the two cannot lose
 * them); the partial unique index allows one open incident per rule, an incident is not resolved
 * in the window it opened, and a rule resolved at `at` is not reopened at `at`. So ten cron runs in
 * one hour (at once or one after another) open, resolve and queue exactly once.
 */

export const BASELINE_WEEKS = 4;
const HOUR = 3_600_000;

export type RuleOutcome = {
  rule_id: number;
  value: number | null;
  baseline: number | null;
  breached: boolean;
  action: "opened" | "resolved" | "none" | "error";
  incident_id?: number;
  error?: string;
};

export type Evaluated = { at: Date; value: number; baseline: number | null; change: number | null; breached: boolean; windowLabel: string };

export function hourStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR) * HOUR);
}

const shift = (w: Window, days: number): Window => ({ from: new Date(w.from.getTime() - days * 24 * HOUR), to: new Date(w.to.getTime() - days * 24 * HOUR) });

export async function measureRule(db: Db, rule: AlertRule, now: Date): Promise<Evaluated> {
  const needsBaseline = rule.condition === "drop" || rule.condition === "rise";
  let at: Date;
  let value: number;
  let past: number[] = [];
  let windowLabel: string;
  if (DAILY_METRICS.includes(rule.metric)) {
    const tz = config().timezone;
    const day = addDays(dateInZone(now, tz), -1);
    at = hourStart(now);
    const of = (d: string) => dailySpendWithoutSessions(db, rule.filters, { start: d, end: d, tz }, now);
    value = await of(day);
    if (needsBaseline) past = await Promise.all([1, 2, 3, 4].map((k) => of(addDays(day, -7 * k))));
    windowLabel = day;
  } else {
    const to = hourStart(now);
    const w: Window = { from: new Date(to.getTime() - rule.window_hours * HOUR), to };
    at = to;
    value = await hourlyMetric(db, rule.metric, rule.filters, w, now);
    if (needsBaseline) past = await Promise.all([1, 2, 3, 4].map((k) => hourlyMetric(db, rule.metric, rule.filters, shift(w, 7 * k), now)));
    windowLabel = describeWindow(w);
  }
  const baseline = needsBaseline ? past.reduce((a, b) => a + b, 0) / BASELINE_WEEKS : null;
  const change = baseline !== null && baseline > 0 ? ((value - baseline) / baseline) * 100 : null;
  const breached =
    rule.condition === "drop" ? change !== null && change <= -rule.threshold
    : rule.condition === "rise" ? change !== null && change >= rule.threshold
    : rule.condition === "at_most" ? value <= rule.threshold
    : value >= rule.threshold;
  return { at, value, baseline, change, breached, windowLabel };
}

async function openIncident(db: Db, rule: AlertRule, e: Evaluated, now: Date): Promise<number | undefined> {
  const at = e.at.toISOString();
  const [row] = await rows<{ id: number }>(
    db,
    sql`with opened as (
          insert into alert_incidents (rule_id, metric, opened_at, summary, value, baseline)
          select ${rule.id}, ${rule.metric}, ${at}::timestamptz, ${describeBreach(rule, e)}, ${e.value}, ${e.baseline}
          where exists (select 1 from alert_rules where id = ${rule.id})
            and not exists (select 1 from alert_incidents where rule_id = ${rule.id} and resolved_at >= ${at}::timestamptz)
          on conflict (rule_id) where resolved_at is null do nothing
          returning id),
        queued as (${queueDeliveries("opened", rule.id, now)})
        select id::int as id from opened`,
  );
  return row?.id;
}

/**
 * The messages of an incident that just opened or resolved (the CTE of that name in the same
 * statement), one per channel of its rule; the outbox's unique key keeps a repeat from queueing twice.
 */
function queueDeliveries(event: "opened" | "resolved", ruleId: number, now: Date): SQL {
  return sql`insert into alert_deliveries (incident_id, channel_id, event, next_attempt_at)
          select ${sql.raw(event)}.id, rc.channel_id, ${event}, ${now.toISOString()}::timestamptz
          from ${sql.raw(event)} join alert_rule_channels rc on rc.rule_id = ${ruleId}
          on conflict do nothing returning 1`;
}

async function resolveIncident(db: Db, rule: AlertRule, e: Evaluated, now: Date): Promise<number | undefined> {
  const at = e.at.toISOString();
  const [row] = await rows<{ id: number }>(
    db,
    sql`with resolved as (
          update alert_incidents set resolved_at = ${at}::timestamptz
          where rule_id = ${rule.id} and resolved_at is null and opened_at < ${at}::timestamptz
          returning id),
        queued as (${queueDeliveries("resolved", rule.id, now)})
        select id::int as id from resolved`,
  );
  return row?.id;
}

/** Evaluates every rule; one rule's failure (a query error) is reported and does not stop the rest. */
export async function evaluateRules(db: Db, now: Date, readDb: Db = db): Promise<RuleOutcome[]> {
  const out: RuleOutcome[] = [];
  for (const rule of await listRules(db)) {
    try {
      const e = await measureRule(readDb, rule, now);
      const base = { rule_id: rule.id, value: e.value, baseline: e.baseline, breached: e.breached };
      const id = e.breached ? await openIncident(db, rule, e, now) : await resolveIncident(db, rule, e, now);
      out.push(id ? { ...base, action: e.breached ? "opened" : "resolved", incident_id: id } : { ...base, action: "none" });
    } catch (err) {
      out.push({ rule_id: rule.id, value: null, baseline: null, breached: false, action: "error", error: err instanceof Error ? err.message.slice(0, 200) : String(err) });
    }
  }
  return out;
}
