import { numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Profit (SPEC 18, docs/money.md): the unit cost of a product by its sku, in APP_CURRENCY, from
 * `npm run utm -- costs import` (a `sku,cost` CSV). An order line without its own `cost` takes its
 * sku's cost here; importing a cost re-costs the orders that carry the sku (lib/profit/costs.ts).
 */
export const productCosts = pgTable("product_costs", {
  sku: text("sku").primaryKey(),
  cost: numeric("cost", { precision: 14, scale: 2 }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
