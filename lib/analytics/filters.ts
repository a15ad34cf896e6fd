import { sql, type SQL } from "drizzle-orm";
import { FILTER_COLUMNS, FILTER_KEYS, rangeInstants, type AnalyticsQuery, type Filters } from "./params";

/**
 * SQL conditions for a query's range and filters. Column names come only from FILTER_COLUMNS
 * (the allow-list); values are always bound parameters. `(none)` is stored literally for unset
 * dimensions (every filter column is NOT NULL), so it is a plain equality too.
 */

const list = (values: string[]): SQL => sql.join(
  values.map((v) => sql`${v}`),
  sql`, `,
);

/**
 * `alias.col in (...) and alias.col not in (...) and ...` for each filtered dimension (SPEC 12:
 * several values of one dimension match any of them, `not_` values exclude, dimensions AND), or
 * `true`. A single value stays a plain `=` so the planner sees the same query as before.
 */
export function filterConditions(filters: Filters, alias: string): SQL {
  const parts: SQL[] = [];
  for (const k of FILTER_KEYS) {
    const f = filters[k];
    if (!f) continue;
    const col = sql.raw(`${alias}.${FILTER_COLUMNS[k]}`);
    if (f.is.length === 1) parts.push(sql`${col} = ${f.is[0]}`);
    else if (f.is.length > 1) parts.push(sql`${col} in (${list(f.is)})`);
    if (f.not.length === 1) parts.push(sql`${col} <> ${f.not[0]}`);
    else if (f.not.length > 1) parts.push(sql`${col} not in (${list(f.not)})`);
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
