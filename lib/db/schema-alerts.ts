import { sql } from "drizzle-orm";
import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { tstz } from "./schema";

/**
 * Alerts (SPEC 20, docs/alerts.md): rules watched hourly by /api/cron/alerts, the incidents they
 * open and resolve, the channels that hear about them, and an outbox of deliveries that retries.
 * The annotations on the time-series chart read `alert_incidents` (opened_at, metric, summary).
 */


/** Where a message goes: kind = email | slack | telegram | webhook. `secret`: bot token / HMAC key. */
export const notifyChannels = pgTable("notify_channels", {
  id: serial("id").primaryKey(),
  kind: varchar("kind", { length: 16 }).notNull(),
  name: varchar("name", { length: 120 }).notNull(),
  // e-mail address, Slack incoming-webhook URL, Telegram chat id, or the webhook URL.
  target: text("target").notNull(),
  secret: text("secret"),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

/**
 * condition = drop | rise (threshold is a percentage against the mean of the same hours of the
 * last 4 weeks) or at_most | at_least (threshold is a fixed value of the metric).
 */
export const alertRules = pgTable("alert_rules", {
  id: serial("id").primaryKey(),
  name: varchar("name", { length: 120 }).notNull(),
  metric: varchar("metric", { length: 32 }).notNull(),
  filters: jsonb("filters").notNull().default(sql`'{}'::jsonb`),
  condition: varchar("condition", { length: 16 }).notNull(),
  threshold: doublePrecision("threshold").notNull(),
  windowHours: smallint("window_hours").notNull().default(1),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export const alertRuleChannels = pgTable(
  "alert_rule_channels",
  {
    ruleId: integer("rule_id").notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    channelId: integer("channel_id").notNull().references(() => notifyChannels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.channelId] })],
);

/**
 * One incident per rule and breach; the partial unique index allows one OPEN incident per rule,
 * so concurrent cron runs cannot open two. rule_id is kept nullable (SET NULL) so deleting a rule
 * keeps its history for the annotations.
 */
export const alertIncidents = pgTable(
  "alert_incidents",
  {
    id: serial("id").primaryKey(),
    ruleId: integer("rule_id").references(() => alertRules.id, { onDelete: "set null" }),
    metric: varchar("metric", { length: 32 }).notNull(),
    openedAt: tstz("opened_at").notNull(),
    resolvedAt: tstz("resolved_at"),
    summary: text("summary").notNull(),
    value: doublePrecision("value"),
    baseline: doublePrecision("baseline"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("alert_incidents_open_uq").on(t.ruleId).where(sql`resolved_at is null`),
    index("alert_incidents_opened_idx").on(t.openedAt),
  ],
);

/**
 * The outbox: one row per (incident, channel, event) — the unique key is what makes ten cron runs
 * in one hour send one message per channel. status: pending → sending → sent | failed (retried
 * until MAX attempts, with next_attempt_at backing off).
 */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: serial("id").primaryKey(),
    incidentId: integer("incident_id").notNull().references(() => alertIncidents.id, { onDelete: "cascade" }),
    channelId: integer("channel_id").notNull().references(() => notifyChannels.id, { onDelete: "cascade" }),
    event: varchar("event", { length: 8 }).notNull(),
    status: varchar("status", { length: 8 }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    claimedAt: tstz("claimed_at"),
    lastError: text("last_error"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    sentAt: tstz("sent_at"),
  },
  (t) => [
    uniqueIndex("alert_deliveries_once_uq").on(t.incidentId, t.channelId, t.event),
    index("alert_deliveries_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Scheduled reports (SPEC 7) to a Slack or Telegram channel; sends are logged in report_sends. */
export const reportChannelSubscriptions = pgTable(
  "report_channel_subscriptions",
  {
    id: serial("id").primaryKey(),
    channelId: integer("channel_id").notNull().references(() => notifyChannels.id, { onDelete: "cascade" }),
    period: varchar("period", { length: 8 }).notNull(),
    language: varchar("language", { length: 2 }).notNull().default("uk"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("report_channel_subscriptions_uq").on(t.channelId, t.period)],
);
