import Papa from "papaparse";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { badRequest, type Issue } from "@/lib/errors";
import { lockSessions, refreshCustomers, refreshSessionOrderFacts } from "@/lib/ingest/facts";
import { inTransaction, uniq } from "@/lib/ingest/sql-util";
import { refreshOrderCosts } from "./order-costs";

/**
 * Product costs by sku (SPEC 18 `npm run utm -- costs import`): a `sku,cost` CSV, cost per unit
 * in APP_CURRENCY. Importing replaces a sku's cost and, in the same transaction, re-costs every
 * order that carries the sku and refreshes the facts of those orders' sessions and customers —
 * the way a new rate re-converts orders (lib/ingest/rates.ts) — so a cost imported after its
 * orders ("late cost") moves margin, and the day cells that sum it, exactly.
 */

export type ProductCost = { sku: string; cost: number };
export type ImportCostsResult = { skus: number; added: number; replaced: number; orders_recosted: number };

const MAX_SKU = 200;
const MAX_COST = 1e9;

/** Rows of a `sku,cost` CSV (header row required; a decimal comma reads as a point). Bad rows: one 400 naming each. */
export function parseProductCostsCsv(text: string): ProductCost[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, "").trim(), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const fields = parsed.meta.fields ?? [];
  const missing = ["sku", "cost"].filter((f) => !fields.includes(f));
  if (missing.length) throw badRequest(`A product cost CSV needs the columns sku, cost (missing: ${missing.join(", ")})`);
  const issues: Issue[] = [];
  const out = new Map<string, ProductCost>();
  parsed.data.forEach((r, i) => {
    const sku = (r.sku ?? "").trim();
    const raw = (r.cost ?? "").trim().replace(/\s/g, "");
    if (sku === "" || sku.length > MAX_SKU || /[\u0000-\u001f]/.test(sku)) {
      issues.push({ path: `[${i}].sku`, message: `must be 1–${MAX_SKU} characters without control characters` });
      return;
    }
    if (!/^\d+(?:[.,]\d{1,2})?$/.test(raw) || Number(raw.replace(",", ".")) > MAX_COST) {
      issues.push({ path: `[${i}].cost`, message: `must be an amount of at least 0 with at most 2 decimals, up to ${MAX_COST}` });
      return;
    }
    // The last line of a sku wins, as a re-import would.
    out.set(sku, { sku, cost: Number(raw.replace(",", ".")) });
  });
  if (issues.length) throw badRequest("Invalid product cost rows", issues.slice(0, 50));
  if (out.size === 0) throw badRequest("The product cost CSV has no rows");
  return [...out.values()];
}

export async function importProductCosts(db: Db, list: readonly ProductCost[]): Promise<ImportCostsResult> {
  if (list.length === 0) return { skus: 0, added: 0, replaced: 0, orders_recosted: 0 };
  return inTransaction(db, async (tx) => {
    const stored = await rows<{ added: boolean }>(
      tx,
      sql`INSERT INTO product_costs (sku, cost, updated_at)
          SELECT x.sku, x.cost, now() FROM json_to_recordset(${JSON.stringify([...list].sort((a, b) => (a.sku < b.sku ? -1 : 1)))}::json) AS x(sku text, cost numeric)
          ON CONFLICT (sku) DO UPDATE SET cost = excluded.cost, updated_at = now()
          RETURNING (xmax = 0) AS added`,
    );
    const changed = await refreshOrderCosts(tx, { skus: list.map((c) => c.sku) });
    const sessions = uniq(changed.map((r) => r.session_id));
    await lockSessions(tx, sessions);
    await refreshSessionOrderFacts(tx, sessions);
    await refreshCustomers(tx, uniq(changed.map((r) => r.customer_id)));
    const added = stored.filter((r) => r.added).length;
    return { skus: stored.length, added, replaced: stored.length - added, orders_recosted: changed.length };
  });
}

/**
 * Every order's cost figures again with the current settings (PAYMENT_FEE_*, product costs), and
 * the facts of the sessions and customers whose orders changed: after a settings change.
 */
export async function recomputeAllOrderCosts(db: Db): Promise<{ orders_recosted: number }> {
  return inTransaction(db, async (tx) => {
    const changed = await refreshOrderCosts(tx, { all: true });
    const sessions = uniq(changed.map((r) => r.session_id));
    await lockSessions(tx, sessions);
    await refreshSessionOrderFacts(tx, sessions);
    await refreshCustomers(tx, uniq(changed.map((r) => r.customer_id)));
    return { orders_recosted: changed.length };
  });
}

export async function listProductCosts(db: Db): Promise<ProductCost[]> {
  return rows<ProductCost>(db, sql`select sku, cost::float8 as cost from product_costs order by sku`);
}
