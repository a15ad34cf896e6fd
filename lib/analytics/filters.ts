import { sql, type SQL } from "drizzle-orm";
import { FILTER_COLUMNS, FILTER_KEYS, rangeInstants, type AnalyticsQuery, type Filters } from "./params";

/**
 * SQL conditions for a query's range and filters. Column names come only from FILTER_COLUMNS
 * (the allow-list); values are always bound parameters. `(none)` is stored literally for unset
 * dimensions, so it is a plain equality too.
 */

/** `alias.col = $v and ...` for each filter, or `true`. */
export function filterConditions(filters: Filters, alias: string): SQL {
  const parts: SQL[] = [];
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v === undefined) continue;
    parts.push(sql`${sql.raw(`${alias}.${FILTER_COLUMNS[k]}`)} = ${v}`);
  }
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** Session-scoped selection (SPEC 3.4): sessions started in the range and matching the filters. */
export function sessionWhere(q: Pick<AnalyticsQuery, "range" | "filters" | "tz">, alias = "s"): SQL {
  const { from, to } = rangeInstants(q.range, q.tz);
  return sql`${sql.raw(alias)}.started_at >= ${from.toISOString()}::timestamptz and ${sql.raw(alias)}.started_at < ${to.toISOString()}::timestamptz and ${filterConditions(q.filters, alias)}`;
}

/** Customer reports filter customers by their acquisition session's dimensions (SPEC 3.4). */
export function customerFilter(filters: Filters, alias = "c"): SQL {
  return filterConditions(filters, alias);
}
