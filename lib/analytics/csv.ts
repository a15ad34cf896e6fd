import Papa from "papaparse";

/**
 * CSV writing for exports (SPEC 4, 10): papaparse quoting, CRLF lines, and formula-injection
 * safety: a text cell beginning with = + - @ tab or CR gets a leading `'` so a spreadsheet shows
 * it as text. papaparse's own default pattern (`^[=+\-@\t\r].*$`) misses values with a line break
 * after the first character, hence this anchored-at-start pattern.
 */

export const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number | boolean | null | undefined;

/** One CSV chunk: optionally the header line, then the rows; every line ends with CRLF. */
export function csvChunk(fields: readonly string[], data: readonly (readonly Cell[])[], withHeader: boolean): string {
  if (data.length === 0 && !withHeader) return "";
  if (data.length === 0) return `${Papa.unparse([fields as string[]], { escapeFormulae: FORMULA_START })}\r\n`;
  const text = Papa.unparse(
    { fields: fields as string[], data: data.map((r) => r.map((c) => (c === null || c === undefined ? "" : c))) },
    { header: withHeader, escapeFormulae: FORMULA_START, newline: "\r\n" },
  );
  return `${text}\r\n`;
}

/** A whole small table as CSV text. */
export function toCsv(fields: readonly string[], data: readonly (readonly Cell[])[]): string {
  return csvChunk(fields, data, true);
}

/** Rows of objects → cells in the order of `fields`. */
export function pick<T extends object>(row: T, fields: readonly string[]): Cell[] {
  return fields.map((f) => (row as Record<string, Cell>)[f]);
}
