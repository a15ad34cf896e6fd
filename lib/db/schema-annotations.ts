import { date, index, integer, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./schema";

/**
 * Notes on the time-series chart (SPEC 20, docs/watch.md): a day, a short text and optionally the
 * source and/or campaign it is about. An annotation with a source or campaign is only shown in
 * views whose filters admit that value (a share link scoped to google never sees a facebook note).
 */
export const annotations = pgTable(
  "annotations",
  {
    id: serial("id").primaryKey(),
    date: date("date", { mode: "string" }).notNull(),
    text: text("text").notNull(),
    utmSource: text("utm_source"),
    utmCampaign: text("utm_campaign"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  // The chart reads the annotations of a date range.
  (t) => [index("annotations_date_idx").on(t.date)],
);
