import { badRequest } from "@/lib/errors";

/**
 * The one ordering of a table sorted by a column, shared by the dashboard's tables and their CSV
 * export (`export-csv?sort=col|-col`), so the file lists the rows in the order the block shows:
 * numbers numerically, text by code unit, nulls last in both directions, ties keep the report's
 * own order. Pure (the dashboard's client code imports it too).
 */
export type SortSpec = { col: string; dir: "asc" | "desc" };

/** Strings by code unit (not locale): the one tie-break of every report's key order. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareValues(x: unknown, y: unknown, dir: "asc" | "desc"): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  const c = typeof x === "number" && typeof y === "number" ? x - y : byCodePoint(String(x), String(y));
  return dir === "asc" ? c : -c;
}

export function sortObjects<T extends object>(rows: readonly T[], sort: SortSpec | undefined): T[] {
  if (!sort) return [...rows];
  const get = (r: T) => (r as Record<string, unknown>)[sort.col];
  return [...rows].sort((a, b) => compareValues(get(a), get(b), sort.dir));
}

/** `sort=col|-col` of an export over `fields`: 400 naming `sort` for a column the report lacks. */
export function parseSortParam(value: string | null, fields: readonly string[]): SortSpec | undefined {
  if (value === null || value === "") return undefined;
  const col = value.replace(/^-/, "");
  if (!fields.includes(col)) {
    throw badRequest("Invalid parameter: sort", [{ path: "sort", message: `must be one of ${fields.join(", ")} (prefix - for descending)` }]);
  }
  return { col, dir: value.startsWith("-") ? "desc" : "asc" };
}

/** CSV cells (one array per row, in `fields` order) sorted like the table. */
export function sortCells<C>(fields: readonly string[], data: readonly (readonly C[])[], sort: SortSpec | undefined): C[][] {
  if (!sort) return data.map((r) => [...r]);
  const i = fields.indexOf(sort.col);
  return [...data].map((r) => [...r]).sort((a, b) => compareValues(a[i], b[i], sort.dir));
}
