import type { MarginParts } from "@/lib/profit/margin";
import type { Cell } from "./index";
import { VisitorCounter } from "./visitor-set";

/** The additive figures of a group of cells added up, and its distinct visitors. */
export type CellSum = Omit<Cell, "day" | "key" | "visitors"> & { visitors: number };

const ADDITIVE = [
  "sessions",
  "conversions",
  "orders",
  "revenue_cents",
  "refunded_cents",
  "new_sessions",
  "new_conversions",
  "new_revenue_cents",
  "bounced",
  "page_views",
  "funnel1",
  "funnel2",
  "funnel3",
  "events",
  "margin_cents",
  "uncosted_orders",
  "uncosted_net_cents",
  "uncosted_revenue_cents",
] as const;

export function sumCells(cells: readonly Cell[], counter = new VisitorCounter()): CellSum {
  const out = Object.fromEntries(ADDITIVE.map((k) => [k, 0])) as CellSum;
  for (const c of cells) for (const k of ADDITIVE) out[k] += c[k];
  out.visitors = counter.count(cells.map((c) => c.visitors));
  return out;
}

/** Cells grouped by `by` (their key, or a bucket of their day), each group summed. */
export function sumBy(cells: readonly Cell[], by: (c: Cell) => string): Map<string, CellSum> {
  const groups = new Map<string, Cell[]>();
  for (const c of cells) {
    const k = by(c);
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const counter = new VisitorCounter();
  return new Map([...groups].map(([k, g]) => [k, sumCells(g, counter)]));
}

/** The profit facts of summed cells (SPEC 18, lib/profit/margin.ts), in money units. */
export function marginPartsOf(c: Pick<CellSum, "margin_cents" | "uncosted_orders" | "uncosted_net_cents" | "uncosted_revenue_cents">): MarginParts {
  return {
    margin_known: fromCents(c.margin_cents),
    uncosted_orders: c.uncosted_orders,
    uncosted_net: fromCents(c.uncosted_net_cents),
    uncosted_revenue: fromCents(c.uncosted_revenue_cents),
  };
}

/** Revenue in money units from whole cents (exact: both are integers, the division rounds once). */
export const fromCents = (cents: number): number => cents / 100;
