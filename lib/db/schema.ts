import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

/**
 * Data model (docs/data-model.md): reports stay single-table where they can, so the per-session and
 * per-customer facts they group by live on one row and are kept true on every write (see
 * lib/ingest/facts.ts). Dimension columns hold normalised values with the literal "(none)" for
 * unset, so a filter on "(none)" is a plain equality that can use an index.
 * Size: over 300 lines because drizzle-kit and the TRUNCATE list of the tests read every table
 * from here (new topics go in lib/db/schema-<topic>.ts); most of it is the why of each fact.
 */

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
/**
 * The profit facts of a group of paid orders (SPEC 18, docs/money.md), kept beside revenue so the
 * margin of any selection is a sum: `margin` over the orders with a known cost (net revenue − COGS
 * − shipping cost − fees); for the others their count, Σ (net revenue − shipping cost − fees) and
 * Σ total, which DEFAULT_MARGIN_PCT turns into margin when it is set (at read time).
 */
const marginFacts = () => ({
  margin: money("margin").notNull().default("0"),
  uncostedOrders: integer("uncosted_orders").notNull().default(0),
  uncostedNet: money("uncosted_net").notNull().default("0"),
  uncostedRevenue: money("uncosted_revenue").notNull().default("0"),
});
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    visitorId: varchar("visitor_id", { length: 64 }).notNull(),
    /**
     * 64-bit hash of visitor_id, computed by the database: distinct visitors are counted on this
     * narrow key (about twice as fast as on the text id at 1M sessions). A collision among a
     * million visitors has a probability of about 3e-8, so the count is exact in practice.
     */
    visitorKey: bigint("visitor_key", { mode: "bigint" })
      .notNull()
      .generatedAlwaysAs(sql`hashtextextended(visitor_id, 0)`),
    startedAt: tstz("started_at").notNull(),
    lastEventAt: tstz("last_event_at").notNull(),
    landingUrl: text("landing_url"),
    landingPath: text("landing_path"),
    /** The `landing_page` dimension (SPEC 12): the landing path, `(none)` when unknown. */
    landingPage: text("landing_page")
      .notNull()
      .generatedAlwaysAs(sql`coalesce(landing_path, '(none)')`),
    referrer: text("referrer"),
    /**
     * The `referrer` dimension (SPEC 12): the referrer's host without `www.`, `(none)` without one.
     * Written at ingestion, not generated from `referrer`, so erasure can clear the referrer URL
     * and keep the dimension (SPEC 16).
     */
    referrerHost: text("referrer_host").notNull().default("(none)"),
    /**
     * The `channel` dimension (SPEC 17.4, docs/channels.md): the default channel group of the
     * session's source, medium and click ids, computed at ingestion (lib/ingest/sources).
     */
    channel: text("channel").notNull().default("Direct"),
    /**
     * The landing URL's click ids (SPEC 17.4), `{"gclid": "...", "fbclid": "..."}` with only the
     * ids present; null when there is none. One jsonb rather than ten columns: they are read per
     * session (forwarding, order touchpoints), never grouped or filtered by.
     */
    clickIds: jsonb("click_ids").$type<Record<string, string>>(),
    /**
     * The visitor's consent as collect last reported it (SPEC 19, Consent Mode v2 names:
     * `{"ad_user_data": "granted", "ad_personalization": "denied"}`); null when never reported.
     * Forwarding (lib/forwarding) reads it; `user_agent` is kept in it only while ad_user_data is granted.
     */
    consent: jsonb("consent").$type<Record<string, string>>(),
    utmSource: text("utm_source").notNull().default("(direct)"),
    utmMedium: text("utm_medium").notNull().default("(none)"),
    utmCampaign: text("utm_campaign").notNull().default("(none)"),
    utmContent: text("utm_content").notNull().default("(none)"),
    utmTerm: text("utm_term").notNull().default("(none)"),
    /**
     * The landing URL's `utm_id` (SPEC 18): the ad platform's campaign id when the shop tags with
     * it; null without one. Not a report dimension: campaign matching reads it (docs/costs.md).
     */
    utmId: text("utm_id"),
    country: varchar("country", { length: 8 }).notNull().default("(none)"),
    device: varchar("device", { length: 16 }).notNull().default("other"),
    browser: text("browser").notNull().default("(none)"),
    os: text("os").notNull().default("(none)"),
    // Maintained facts (kept true by lib/ingest/facts.ts, also for out-of-order data).
    pageViews: integer("page_views").notNull().default(0),
    eventCount: integer("event_count").notNull().default(0),
    /** Furthest funnel step reached: 0 none, 1 product_view, 2 add_to_cart, 3 checkout_start. */
    funnelStep: smallint("funnel_step").notNull().default(0),
    isReturning: boolean("is_returning").notNull().default(false),
    paidOrders: integer("paid_orders").notNull().default(0),
    revenue: money("revenue").notNull().default("0"),
    /** Refunds of the paid orders attributed to the session, whenever dated (SPEC 17.5, accrual). */
    refunded: money("refunded").notNull().default("0"),
    /** Profit facts of those orders (SPEC 18, lib/profit/margin-sql.ts). */
    ...marginFacts(),
  },
  (t) => [
    // Range scans of every session report; INCLUDE-free so it stays narrow.
    index("sessions_started_at_idx").on(t.startedAt),
    // Attribution (latest session of a visitor before an order) and is_returning upkeep.
    index("sessions_visitor_started_idx").on(t.visitorId, t.startedAt),
    // The A/B report and the campaign filter: one campaign's sessions in a range.
    index("sessions_campaign_started_idx").on(t.utmCampaign, t.startedAt),
    // The source filter, the most common one in deep links.
    index("sessions_source_started_idx").on(t.utmSource, t.startedAt),
    // Campaign matching (SPEC 18) looks sessions up by utm_id; most sessions have none.
    index("sessions_utm_id_idx").on(t.utmId).where(sql`${t.utmId} is not null`),
  ],
);

export const events = pgTable(
  "events",
  {
    id: uuid("id").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    type: varchar("type", { length: 32 }).notNull(),
    name: text("name"),
    path: text("path"),
    occurredAt: tstz("occurred_at").notNull(),
    properties: jsonb("properties"),
  },
  (t) => [
    // Session detail lists a session's events in time order; erase deletes by session.
    index("events_session_occurred_idx").on(t.sessionId, t.occurredAt),
    // Realtime (SPEC 20): the events of the last 30 minutes, a short range scan at any size.
    index("events_occurred_idx").on(t.occurredAt),
  ],
);

export const orders = pgTable(
  "orders",
  {
    orderId: varchar("order_id", { length: 128 }).primaryKey(),
    customerId: varchar("customer_id", { length: 200 }).notNull(),
    visitorId: varchar("visitor_id", { length: 64 }),
    /** Attributed session (SPEC 3.3), fixed when the order is first stored. */
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "set null" }),
    /**
     * True when the order itself named its (existing) session: attribution models (SPEC 13) then
     * credit that session alone instead of the visitor's touchpoints.
     */
    sessionNamed: boolean("session_named").notNull().default(false),
    /**
     * The order's total in APP_CURRENCY (total_original × fx_rate, to the cent); NULL while the order
     * awaits a rate (SPEC 17.5): such an order counts nowhere (lib/db/counted-orders.ts).
     */
    total: money("total"),
    /** ISO 4217 code the shop sent the order in; NULL on orders stored before v5 (= APP_CURRENCY). */
    currency: varchar("currency", { length: 3 }),
    /** The total as sent, in `currency`; NULL on orders stored before v5 (= total). */
    totalOriginal: money("total_original"),
    /**
     * Units of APP_CURRENCY per 1 unit of `currency` used for `total` (1 for APP_CURRENCY; the
     * default, so rows written without one are in APP_CURRENCY); NULL while awaiting a rate.
     * Refunds and other amounts of the order convert with this same rate.
     */
    fxRate: numeric("fx_rate", { precision: 20, scale: 10 }).default("1"),
    status: varchar("status", { length: 16 }).notNull().default("paid"),
    placedAt: tstz("placed_at").notNull(),
    items: integer("items"),
    // SPEC 17.5, as sent (the order's currency); null when not sent.
    subtotal: money("subtotal"),
    discount: money("discount"),
    /** JSON array of strings. */
    discountCodes: jsonb("discount_codes"),
    shipping: money("shipping"),
    tax: money("tax"),
    /**
     * Profit (SPEC 18, docs/money.md), in APP_CURRENCY, written with the order's facts
     * (lib/profit/order-costs.ts): `cogs` = Σ quantity × unit cost of its lines (the line's own
     * cost at the order's rate, else its sku's product cost), NULL when a line has neither or the
     * order has no lines; `payment_fee` = total × PAYMENT_FEE_PCT % + PAYMENT_FEE_FIXED.
     * `shipping_cost` is what shipping cost the shop, as sent (the order's currency).
     */
    cogs: money("cogs"),
    paymentFee: money("payment_fee"),
    shippingCost: money("shipping_cost"),
    /** SHA-256 hex of the normalised e-mail / phone (lib/ingest/contact-hash.ts); never the plain value. */
    emailSha256: varchar("email_sha256", { length: 64 }),
    phoneSha256: varchar("phone_sha256", { length: 64 }),
    /** Where the buyer landed and came from, as the shop reported (landing touchpoints, SPEC 17.1). */
    landingUrl: text("landing_url"),
    referrer: text("referrer"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // Customer facts (first order, repeat gaps) and cohort offsets walk a customer's orders in time.
    index("orders_customer_placed_idx").on(t.customerId, t.placedAt),
    // Session detail and the session facts recomputation.
    index("orders_session_idx").on(t.sessionId),
    // Repeat rate: customers with a paid order placed in a range.
    index("orders_placed_idx").on(t.placedAt),
    // Erase by visitor.
    index("orders_visitor_idx").on(t.visitorId),
  ],
);

/**
 * A browser `purchase` event's order id and the session it was sent from (SPEC 17.1: the pixel's
 * `checkout_completed`, the tracker's thank-you pages and dataLayer purchases). The first link of
 * an order wins. An order that names no (existing) session is attributed to its linked session as
 * if it had named it (lib/ingest/attribution.ts); an order stored unattributed before its link
 * arrived is attached then (lib/ingest/order-links.ts). No foreign key to orders: the link often
 * arrives first.
 */
export const orderLinks = pgTable(
  "order_links",
  {
    orderId: varchar("order_id", { length: 128 }).primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    linkedAt: tstz("linked_at").notNull().defaultNow(),
  },
  // Erase by session, and the cascade from sessions.
  (t) => [index("order_links_session_idx").on(t.sessionId)],
);

/** The line items of an order (SPEC 17.5), replaced whole when the order is sent with `items[]`. */
export const orderItems = pgTable(
  "order_items",
  {
    orderId: varchar("order_id", { length: 128 })
      .notNull()
      .references(() => orders.orderId, { onDelete: "cascade" }),
    /** 0-based index in the order's `items[]`. */
    position: integer("position").notNull(),
    sku: text("sku"),
    productId: text("product_id"),
    name: text("name"),
    quantity: integer("quantity").notNull(),
    price: money("price"),
    cost: money("cost"),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.position] })],
);

/** Refunds (SPEC 17.5), upserted by refund_id; `amount` in the order's currency. */
export const orderRefunds = pgTable(
  "order_refunds",
  {
    refundId: varchar("refund_id", { length: 128 }).primaryKey(),
    orderId: varchar("order_id", { length: 128 })
      .notNull()
      .references(() => orders.orderId, { onDelete: "cascade" }),
    amount: money("amount").notNull(),
    refundedAt: tstz("refunded_at").notNull(),
    reason: text("reason"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // An order's refunds (facts, the sum check); cash basis reads refunds dated in a range.
    index("order_refunds_order_idx").on(t.orderId),
    index("order_refunds_refunded_at_idx").on(t.refundedAt),
  ],
);

/**
 * Landing touchpoints (SPEC 17.1 "Without a pixel"): an order first stored with no session but with
 * the shop's `landing_url`/`referrer` gets one, classified like a session (deriveTrafficSource) at
 * its `placed_at`; written with the order (lib/ingest/landing-touchpoints.ts). Not a session: no
 * session figure reads it. Attribution (SPEC 3.3/13) and acquisition (3.2) use it when the order
 * has no session touchpoint. Dimension columns as on sessions; unknown geo/device as a session's.
 */
export const orderTouchpoints = pgTable("order_touchpoints", {
  orderId: varchar("order_id", { length: 128 })
    .primaryKey()
    .references(() => orders.orderId, { onDelete: "cascade" }),
  /** The order's placed_at. */
  occurredAt: tstz("occurred_at").notNull(),
  /** Cleared by erasure (SPEC 16); the dimensions stay. */
  landingUrl: text("landing_url"),
  referrer: text("referrer"),
  landingPage: text("landing_page").notNull().default("(none)"),
  referrerHost: text("referrer_host").notNull().default("(none)"),
  utmSource: text("utm_source").notNull().default("(direct)"),
  utmMedium: text("utm_medium").notNull().default("(none)"),
  utmCampaign: text("utm_campaign").notNull().default("(none)"),
  utmContent: text("utm_content").notNull().default("(none)"),
  utmTerm: text("utm_term").notNull().default("(none)"),
  country: varchar("country", { length: 8 }).notNull().default("(none)"),
  device: varchar("device", { length: 16 }).notNull().default("other"),
  browser: text("browser").notNull().default("(none)"),
  os: text("os").notNull().default("(none)"),
  channel: text("channel").notNull().default("(none)"),
  /** The landing URL's ad click ids (SPEC 17.4, as sessions.click_ids; null when none); cleared by erasure. */
  clickIds: jsonb("click_ids").$type<Record<string, string>>(),
});

/** One row per customer with at least one paid order (maintained; deleted when none is left). */
export const customers = pgTable(
  "customers",
  {
    customerId: varchar("customer_id", { length: 200 }).primaryKey(),
    firstOrderId: varchar("first_order_id", { length: 128 }).notNull(),
    firstOrderAt: tstz("first_order_at").notNull(),
    lastOrderAt: tstz("last_order_at").notNull(),
    acquisitionSessionId: uuid("acquisition_session_id"),
    utmSource: text("utm_source").notNull().default("(none)"),
    utmMedium: text("utm_medium").notNull().default("(none)"),
    utmCampaign: text("utm_campaign").notNull().default("(none)"),
    utmContent: text("utm_content").notNull().default("(none)"),
    utmTerm: text("utm_term").notNull().default("(none)"),
    country: varchar("country", { length: 8 }).notNull().default("(none)"),
    device: varchar("device", { length: 16 }).notNull().default("(none)"),
    browser: text("browser").notNull().default("(none)"),
    os: text("os").notNull().default("(none)"),
    landingPage: text("landing_page").notNull().default("(none)"),
    referrerHost: text("referrer_host").notNull().default("(none)"),
    /** The acquisition session's channel (SPEC 17.4); `(none)` when unattributed. */
    channel: text("channel").notNull().default("(none)"),
    paidOrders: integer("paid_orders").notNull().default(0),
    revenue: money("revenue").notNull().default("0"),
    /** Refunds of the customer's paid orders (SPEC 17.5). */
    refunded: money("refunded").notNull().default("0"),
    /** Profit facts of the customer's paid orders (SPEC 18). */
    ...marginFacts(),
  },
  // Cohorts and LTV select customers by first order in a range.
  (t) => [index("customers_first_order_idx").on(t.firstOrderAt)],
);

export const adSpend = pgTable(
  "ad_spend",
  {
    id: serial("id").primaryKey(),
    date: date("date", { mode: "string" }).notNull(),
    utmSource: text("utm_source").notNull(),
    utmCampaign: text("utm_campaign").notNull(),
    amount: money("amount").notNull(),
    /**
     * The campaign name as the ad platform exported it (normalised like a UTM value); null for
     * rows given directly as utm_campaign. A campaign mapping rewrites utm_campaign from it.
     */
    platformCampaign: text("platform_campaign"),
    /** The platform's campaign id when the export has one (matched against sessions.utm_id, SPEC 18). */
    platformCampaignId: text("platform_campaign_id"),
    /** The export's currency and amount as exported when it was not APP_CURRENCY (SPEC 17.5); else null. */
    currency: varchar("currency", { length: 3 }),
    amountOriginal: money("amount_original"),
  },
  // One amount per day, source and campaign as the platform names it (re-import replaces it).
  (t) => [
    uniqueIndex("ad_spend_date_source_campaign_uq").on(
      t.date,
      t.utmSource,
      sql`coalesce(${t.platformCampaign}, ${t.utmCampaign})`,
    ),
  ],
);

/** Platform campaign name → utm_campaign (SPEC 14), per source. */
export const campaignMap = pgTable(
  "campaign_map",
  {
    utmSource: text("utm_source").notNull(),
    platformCampaign: text("platform_campaign").notNull(),
    utmCampaign: text("utm_campaign").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.utmSource, t.platformCampaign] })],
);

/**
 * Tracker health (SPEC 16): counts per minute of accepted events and of dropped hits by reason
 * (`event`, `drop:bot`, `drop:origin`), with the latest time seen. No personal data.
 */
export const trackerCounters = pgTable(
  "tracker_counters",
  {
    minute: tstz("minute").notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    count: integer("count").notNull().default(0),
    lastAt: tstz("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.kind] })],
);

/** Saved tagged links of the UTM link builder (SPEC 12 / issue 12). */
export const utmLinks = pgTable("utm_links", {
  id: serial("id").primaryKey(),
  name: text("name"),
  baseUrl: text("base_url").notNull(),
  utmSource: text("utm_source").notNull(),
  utmMedium: text("utm_medium").notNull(),
  utmCampaign: text("utm_campaign").notNull(),
  utmContent: text("utm_content").notNull().default("(none)"),
  utmTerm: text("utm_term").notNull().default("(none)"),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  email: varchar("email", { length: 254 }).notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash").notNull(),
  role: varchar("role", { length: 16 }).notNull().default("viewer"),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export const apiTokens = pgTable("api_tokens", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
  /** Comma-free list of scopes: read, ingest. */
  scopes: text("scopes").array().notNull(),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: tstz("created_at").notNull().defaultNow(),
  lastUsedAt: tstz("last_used_at"),
  revokedAt: tstz("revoked_at"),
});

export const shareLinks = pgTable("share_links", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  name: text("name"),
  /** The locked view: the dashboard's query parameters as shared (range, filters, selectors). */
  params: jsonb("params").notNull(),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: tstz("created_at").notNull().defaultNow(),
  expiresAt: tstz("expires_at").notNull(),
  revokedAt: tstz("revoked_at"),
});

export const reportSubscriptions = pgTable(
  "report_subscriptions",
  {
    id: serial("id").primaryKey(),
    email: varchar("email", { length: 254 }).notNull(),
    period: varchar("period", { length: 8 }).notNull(),
    language: varchar("language", { length: 2 }).notNull().default("uk"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("report_subscriptions_email_period_uq").on(t.email, t.period)],
);

/** The send log: one row per (period kind, period start, recipient) makes a send happen once. */
export const reportSends = pgTable(
  "report_sends",
  {
    id: serial("id").primaryKey(),
    period: varchar("period", { length: 8 }).notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    recipient: varchar("recipient", { length: 254 }).notNull(),
    status: varchar("status", { length: 16 }).notNull(),
    error: text("error"),
    messageId: text("message_id"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    sentAt: tstz("sent_at"),
  },
  (t) => [uniqueIndex("report_sends_period_recipient_uq").on(t.period, t.periodStart, t.recipient)],
);

/**
 * Day rates (SPEC 17.5, lib/ingest/rates.ts): units of APP_CURRENCY per 1 unit of `currency` on
 * `date`, upserted by (currency, date); `source` = api | file | nbu | ecb.
 */
export const fxRates = pgTable(
  "fx_rates",
  {
    currency: varchar("currency", { length: 3 }).notNull(),
    date: date("date", { mode: "string" }).notNull(),
    rate: numeric("rate", { precision: 20, scale: 10 }).notNull(),
    source: varchar("source", { length: 16 }).notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  // The rate of a day: the latest (currency, date) at or before it.
  (t) => [primaryKey({ columns: [t.currency, t.date] })],
);

/** Small key/value settings written by commands (e.g. `setup-reports`). */
export const appSettings = pgTable("app_settings", {
  key: varchar("key", { length: 64 }).primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

/**
 * Shop webhooks received (SPEC 17.1, 17.2; lib/integrations/deliveries.ts): one row per platform
 * delivery id, so a redelivery changes nothing (it only counts in `duplicates`). No payload and no
 * personal data: the topic, the shop, the outcome and an error text without secrets.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    platform: varchar("platform", { length: 16 }).notNull(),
    deliveryId: varchar("delivery_id", { length: 200 }).notNull(),
    topic: varchar("topic", { length: 100 }).notNull(),
    shop: varchar("shop", { length: 255 }),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    /** stored | ignored | failed (a redelivery of any of them adds to `duplicates`). */
    outcome: varchar("outcome", { length: 16 }).notNull(),
    error: text("error"),
    duplicates: integer("duplicates").notNull().default(0),
    lastDuplicateAt: tstz("last_duplicate_at"),
    /** The order a stored order delivery carried, and when the platform says it changed (stale retries are skipped). */
    resourceId: varchar("resource_id", { length: 128 }),
    triggeredAt: tstz("triggered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.platform, t.deliveryId] }),
    // Settings: the last deliveries and errors of a platform.
    index("webhook_deliveries_received_idx").on(t.platform, t.receivedAt),
    // The newest applied change of an order (a retry carries its original, older payload).
    index("webhook_deliveries_resource_idx").on(t.platform, t.resourceId, t.triggeredAt),
  ],
);

/*
 * Day cells (issue 14, lib/analytics/rollups): the session reports of a whole-day range are summed
 * from cached per-day cells instead of scanning every session. Exactness rests on two things:
 * a trigger on `sessions` (migration 0004) appends a change mark for the UTC hour of every row an
 * INSERT/UPDATE/DELETE touches, in the writer's own transaction; and a day's cells are kept with
 * the sum of its hours' mark weights read BEFORE they were computed, so any later write to that
 * day makes the sum differ and the cells are recomputed (compaction merges marks, keeping sums).
 */

/** Append-only change marks of `sessions` per UTC hour (a `timestamp` in UTC); merged by readers. */
export const sessionChanges = pgTable(
  "session_changes",
  {
    hour: timestamp("hour", { mode: "string" }).notNull(),
    weight: integer("weight").notNull(),
  },
  (t) => [index("session_changes_hour_idx").on(t.hour)],
);

/** Dense visitor numbers, so a cell keeps its distinct visitors as a compact set of 32-bit ints. */
export const visitorNumbers = pgTable("visitor_numbers", {
  visitorKey: bigint("visitor_key", { mode: "bigint" }).primaryKey(),
  num: integer("num").generatedAlwaysAsIdentity().notNull(),
});

/** One cached view: a grouping (none, a dimension, event kinds) under a filter set in a time zone. */
export const rollupViews = pgTable("rollup_views", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  lastUsedAt: tstz("last_used_at").notNull().defaultNow(),
});

/** A computed day of a view and the change-mark sum it was computed at. */
export const rollupDays = pgTable(
  "rollup_days",
  {
    viewId: integer("view_id")
      .notNull()
      .references(() => rollupViews.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    stamp: bigint("stamp", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.viewId, t.day] })],
);

/** The additive figures of one key on one day of a view, and its distinct visitors' numbers. */
export const rollupCells = pgTable(
  "rollup_cells",
  {
    viewId: integer("view_id")
      .notNull()
      .references(() => rollupViews.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    key: text("key").notNull(),
    sessions: integer("sessions").notNull(),
    conversions: integer("conversions").notNull(),
    orders: integer("orders").notNull(),
    revenueCents: bigint("revenue_cents", { mode: "number" }).notNull(),
    /** Σ sessions.refunded (SPEC 17.5 net revenue, accrual). */
    refundedCents: bigint("refunded_cents", { mode: "number" }).notNull().default(0),
    newSessions: integer("new_sessions").notNull(),
    newConversions: integer("new_conversions").notNull(),
    newRevenueCents: bigint("new_revenue_cents", { mode: "number" }).notNull(),
    bounced: integer("bounced").notNull(),
    pageViews: bigint("page_views", { mode: "number" }).notNull(),
    funnel1: integer("funnel1").notNull(),
    funnel2: integer("funnel2").notNull(),
    funnel3: integer("funnel3").notNull(),
    /** Event views only: events of this kind. */
    events: integer("events").notNull().default(0),
    /** Σ of the sessions' profit facts (SPEC 18), in cents / a count. */
    marginCents: bigint("margin_cents", { mode: "number" }).notNull().default(0),
    uncostedOrders: integer("uncosted_orders").notNull().default(0),
    uncostedNetCents: bigint("uncosted_net_cents", { mode: "number" }).notNull().default(0),
    uncostedRevenueCents: bigint("uncosted_revenue_cents", { mode: "number" }).notNull().default(0),
    /** Distinct visitor numbers (visitor_numbers.num), 4 bytes each, big-endian (int4send). */
    visitorNums: bytea("visitor_nums").notNull(),
  },
  (t) => [primaryKey({ columns: [t.viewId, t.day, t.key] })],
);

/*
 * Attribution day cells (migration 0005): the models' sums of the orders PLACED on a local day.
 * Such a day depends on its orders and on the sessions that can be their touchpoints: those
 * started up to the attribution window before it, and the sessions some order names (any time).
 * Orders mark their UTC hours in `order_changes`, sessions theirs in `touchpoint_changes`; a day
 * keeps the hour span of sessions it read (`dep_from`, `dep_to`) and the sum of both tables'
 * marks over its hours, read before it was computed.
 */

/** Append-only change marks of `orders` per UTC hour of placed_at; merged by readers. */
export const orderChanges = pgTable(
  "order_changes",
  {
    hour: timestamp("hour", { mode: "string" }).notNull(),
    weight: integer("weight").notNull(),
  },
  (t) => [index("order_changes_hour_idx").on(t.hour)],
);

/**
 * Append-only change marks of the sessions attribution reads, per UTC hour of started_at: every
 * insert and delete, and the updates that change more than the facts ingestion keeps up to date
 * (TOUCHPOINT_FACT_COLUMNS), so an order's facts update does not make a month of cells stale.
 */
export const touchpointChanges = pgTable(
  "touchpoint_changes",
  {
    hour: timestamp("hour", { mode: "string" }).notNull(),
    weight: integer("weight").notNull(),
  },
  (t) => [index("touchpoint_changes_hour_idx").on(t.hour)],
);

/**
 * Session columns whose change leaves every attribution credit as it was (the trigger of
 * migration 0005 ignores updates that change only these): counters and facts, never a dimension,
 * the visitor or the start (net revenue's refunds and the profit facts joined the list in 0021).
 * Leaving one out only costs recomputation; listing a credited column
 * here would serve stale cells (tests/db/rollups-attribution.test.ts checks the list against the
 * trigger and the dimensions).
 */
export const TOUCHPOINT_FACT_COLUMNS = ["last_event_at", "page_views", "event_count", "funnel_step", "is_returning", "paid_orders", "revenue", "refunded", "margin", "uncosted_orders", "uncosted_net", "uncosted_revenue"] as const;

/** A computed attribution day of a view: its stamp, the session hours it read, its unattributed orders. */
export const rollupAttributionDays = pgTable(
  "rollup_attribution_days",
  {
    viewId: integer("view_id")
      .notNull()
      .references(() => rollupViews.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    /** Mark sum (orders of the day + sessions of [dep_from, dep_to)) read before computing; -1: recompute. */
    stamp: bigint("stamp", { mode: "number" }).notNull(),
    depFrom: timestamp("dep_from", { mode: "string" }).notNull(),
    depTo: timestamp("dep_to", { mode: "string" }).notNull(),
    unattributedOrders: integer("unattributed_orders").notNull(),
    unattributedRevenue: numeric("unattributed_revenue", { precision: 16, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.viewId, t.day] })],
);

/** Σ weight and Σ weight × total of one key on one day, for the six models (float8, as the raw query sums). */
export const rollupAttributionCells = pgTable(
  "rollup_attribution_cells",
  {
    viewId: integer("view_id")
      .notNull()
      .references(() => rollupViews.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    key: text("key").notNull(),
    lndConv: doublePrecision("lnd_conv").notNull(),
    lndRev: doublePrecision("lnd_rev").notNull(),
    lcConv: doublePrecision("lc_conv").notNull(),
    lcRev: doublePrecision("lc_rev").notNull(),
    fcConv: doublePrecision("fc_conv").notNull(),
    fcRev: doublePrecision("fc_rev").notNull(),
    linConv: doublePrecision("lin_conv").notNull(),
    linRev: doublePrecision("lin_rev").notNull(),
    posConv: doublePrecision("pos_conv").notNull(),
    posRev: doublePrecision("pos_rev").notNull(),
    tdConv: doublePrecision("td_conv").notNull(),
    tdRev: doublePrecision("td_rev").notNull(),
    /** Bit i set: model i (ATTRIBUTION_MODELS order) gave some touchpoint of this key a weight > 0. */
    credited: integer("credited").notNull(),
  },
  (t) => [primaryKey({ columns: [t.viewId, t.day, t.key] })],
);

/** Tables that only cache what the others hold: never copied (move-to-postgres), rebuilt on use. */
export const CACHE_TABLES: readonly string[] = [
  "session_changes",
  "order_changes",
  "touchpoint_changes",
  "visitor_numbers",
  "rollup_views",
  "rollup_days",
  "rollup_cells",
  "rollup_attribution_days",
  "rollup_attribution_cells",
];
