import { config } from "@/lib/config";
import { ALERTS_STRINGS } from "@/lib/i18n/alerts";
import type { Window } from "./metrics";
import type { AlertCondition, AlertMetric } from "./vocabulary";

/**
 * The one-line summary an incident keeps (alert_incidents.summary: messages, the chart's automatic
 * annotations). Written in English: it is stored once and read by every channel and user.
 */

/** The metric's English name: the settings page's, so an incident says what the rule list says. */
const METRIC_LABEL = ALERTS_STRINGS.en.metrics;

export function formatValue(metric: AlertMetric, v: number): string {
  if (metric === "conversion_rate" || metric === "direct_share") return `${v.toFixed(2)} %`;
  if (metric === "revenue" || metric === "spend_without_sessions") return `${v.toFixed(2)} ${config().currency}`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
export const describeWindow = (w: Window) => `${w.from.toISOString().slice(0, 10)} ${hhmm(w.from)}–${hhmm(w.to)} UTC`;

type RuleLike = { metric: AlertMetric; condition: AlertCondition; threshold: number };
type Measured = { value: number; baseline: number | null; change: number | null; windowLabel: string };

export function describeBreach(rule: RuleLike, e: Measured): string {
  const label = METRIC_LABEL[rule.metric];
  const v = formatValue(rule.metric, e.value);
  if (rule.metric === "tracker_events" && e.value === 0) return `Tracker silent: no events ${e.windowLabel}`;
  if (e.change !== null && e.baseline !== null) {
    const dir = e.change < 0 ? "below" : "above";
    return `${label} ${v} is ${Math.abs(e.change).toFixed(1)} % ${dir} the usual ${formatValue(rule.metric, e.baseline)} (same hours of the last 4 weeks), ${e.windowLabel}`;
  }
  const cmp = rule.condition === "at_most" ? "at or below" : "at or above";
  return `${label} ${v} is ${cmp} ${formatValue(rule.metric, rule.threshold)}, ${e.windowLabel}`;
}
