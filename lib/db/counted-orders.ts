import { sql, type SQL } from "drizzle-orm";

/**
 * The one definition of an order that counts (SPEC 3.2, 17.5): status `paid` AND converted to
 * APP_CURRENCY (`total` is NULL while the order awaits a rate of its currency). Only such orders
 * count anywhere: orders, revenue, conversions, customers, cohorts, attribution. Every query says
 * `${countedOrder("o")}` instead of writing the condition again.
 *
 * `alias` is the orders table's alias in the query ("" for the bare table name).
 */
export function countedOrder(alias = "o"): SQL {
  if (alias !== "" && !/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`countedOrder: bad alias ${alias}`);
  const p = alias ? `${alias}.` : "";
  return sql.raw(`(${p}status = 'paid' AND ${p}total IS NOT NULL)`);
}

/** An order that waits for a rate: it would count (paid) but has no APP_CURRENCY total yet. */
export function awaitingRateOrder(alias = "o"): SQL {
  if (alias !== "" && !/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`awaitingRateOrder: bad alias ${alias}`);
  const p = alias ? `${alias}.` : "";
  return sql.raw(`(${p}status = 'paid' AND ${p}total IS NULL)`);
}
