import { jsonb, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./schema";

/**
 * Saved views (SPEC 20): a user's named range + filters, applied from the filter picker. `params`
 * holds the dashboard's range and filter parameters as the URL has them (a repeated filter as a
 * list). Saving again under the same name replaces that view.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    params: jsonb("params").$type<Record<string, string | string[]>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("saved_views_user_name_uq").on(t.userId, t.name)],
);
