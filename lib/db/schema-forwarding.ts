import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { orders, tstz } from "./schema";

/**
 * Conversions back to the ad platforms (SPEC 19, docs/forwarding.md): the configured destinations
 * and the durable outbox their events wait in. An outbox row is written in the transaction that
 * stores the paid order (lib/forwarding/enqueue.ts), one per destination configured at that time.
 */


export const forwardDestinations = pgTable("forward_destinations", {
  /** `meta` | `google` | `tiktok`. */
  destination: varchar("destination", { length: 16 }).primaryKey(),
  enabled: boolean("enabled").notNull().default(true),
  /** The settings that are not secret (pixel id, customer id, conversion action, test event code). */
  settings: jsonb("settings").$type<Record<string, string>>().notNull(),
  /** The access token / service-account key, AES-256-GCM sealed with a key derived from AUTH_SECRET. */
  secretSealed: text("secret_sealed").notNull(),
  /** What the settings page shows of the secret: its last four characters. */
  secretHint: varchar("secret_hint", { length: 8 }).notNull(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

export const forwardOutbox = pgTable(
  "forward_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    destination: varchar("destination", { length: 16 }).notNull(),
    /** `purchase` (refunds: see docs/forwarding.md, no platform here takes one by these APIs). */
    kind: varchar("kind", { length: 16 }).notNull().default("purchase"),
    orderId: varchar("order_id", { length: 128 })
      .notNull()
      .references(() => orders.orderId, { onDelete: "cascade" }),
    /** The platform's dedup key (Meta/TikTok event_id, Google transactionId): the order id. */
    eventId: varchar("event_id", { length: 128 }).notNull(),
    /** `queued` → `sending` (claimed, under a lease) → `sent` | `failed` | `skipped`; a failed try goes back to `queued`. */
    status: varchar("status", { length: 16 }).notNull().default("queued"),
    attempts: smallint("attempts").notNull().default(0),
    /**
     * When the row is due: for `queued` the next try, for `sending` the end of the claim's lease; a
     * claimed row whose lease ran out (its sender died) is claimed again and re-sent with the same event id.
     */
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    /** Random per claim: only the claimant may settle the row. */
    claimToken: varchar("claim_token", { length: 36 }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    sentAt: tstz("sent_at"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    lastErrorAt: tstz("last_error_at"),
  },
  (t) => [
    uniqueIndex("forward_outbox_event_idx").on(t.destination, t.kind, t.orderId),
    // The sender's claim: due rows of a destination; settled rows drop out of the index.
    index("forward_outbox_due_idx")
      .on(t.destination, t.nextAttemptAt)
      .where(sql`${t.status} in ('queued', 'sending')`),
  ],
);
