import { badRequest } from "@/lib/errors";

/**
 * The one ordering of a table sorted by a column, shared by the dashboard's tables and their CSV
 * export (`export-csv?sort=col|-col`), so the file lists the rows in the order the block shows:
 * numbers numerically, text by code point, nulls last in both directions, ties keep the report's
 * own order. Pure (the dashboard's client code imports it too).
 */
export type SortSpec = { col: string; dir: "asc" | "desc" };

/**
 * Strings by Unicode code point (not locale, not UTF-16 code unit): the one tie-break of every
 * report's key order, the same order as SQL's `collate "C"` on a UTF-8 database (byte order), so a
 * report served from day cells lists ties as its raw query does. Code-unit order differs only
 * where one string has a surrogate (a code point above U+FFFF, e.g. 😀) and the other a unit in
 * U+E000–U+FFFF (e.g. ！ U+FF01) at the same index: the surrogate's code point is the greater.
 */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

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
