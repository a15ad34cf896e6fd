import { config } from "@/lib/config";

/**
 * The contribution margin of a selection from its summed profit facts (SPEC 18, docs/margin-sql.ts):
 * the margin of the orders with a known cost, plus — only when DEFAULT_MARGIN_PCT is set — that of
 * the orders without one, whose COGS is then total × (1 − pct/100). `orders_without_cost` is how
 * many orders had no known cost either way (every answer that shows margin says it).
 */
export type MarginParts = {
  /** Σ margin of the orders with a known COGS. */
  margin_known: number;
  /** Orders without a known COGS. */
  uncosted_orders: number;
  /** Σ (net revenue − shipping cost − fees) of those orders. */
  uncosted_net: number;
  /** Σ total of those orders. */
  uncosted_revenue: number;
};

export const NO_MARGIN: MarginParts = { margin_known: 0, uncosted_orders: 0, uncosted_net: 0, uncosted_revenue: 0 };

export function marginOf(p: MarginParts, pct: number | undefined = config().defaultMarginPct): number {
  if (pct === undefined) return p.margin_known;
  return p.margin_known + p.uncosted_net - p.uncosted_revenue * (1 - pct / 100);
}

export function addMargin(a: MarginParts, b: MarginParts): MarginParts {
  return {
    margin_known: a.margin_known + b.margin_known,
    uncosted_orders: a.uncosted_orders + b.uncosted_orders,
    uncosted_net: a.uncosted_net + b.uncosted_net,
    uncosted_revenue: a.uncosted_revenue + b.uncosted_revenue,
  };
}
