/**
 * The alert vocabulary (SPEC 20), client-safe: the settings form and the domain share these lists.
 */

export const ALERT_METRICS = [
  "sessions",
  "orders",
  "revenue",
  "conversion_rate",
  "tracker_events",
  "direct_share",
  "spend_without_sessions",
  "forwarding_failures",
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** drop/rise: threshold is a % against the 4-week baseline; at_most/at_least: a fixed value. */
export const ALERT_CONDITIONS = ["drop", "rise", "at_most", "at_least"] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

export const CHANNEL_KINDS = ["email", "slack", "telegram", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Channels a scheduled report may also go to (SPEC 20; e-mail subscriptions stay in report_subscriptions). */
export const REPORT_CHANNEL_KINDS = ["slack", "telegram"] as const satisfies readonly ChannelKind[];

/** Metrics read per calendar day in APP_TIMEZONE (ad spend is stored per day), the rest per hour. */
export const DAILY_METRICS: readonly AlertMetric[] = ["spend_without_sessions"];

/** Metrics the dashboard filters narrow (session dimensions); the others ignore filters. */
export const FILTERABLE_METRICS: readonly AlertMetric[] = ["sessions", "orders", "revenue", "conversion_rate", "direct_share", "spend_without_sessions"];

export const MAX_WINDOW_HOURS = 24;
