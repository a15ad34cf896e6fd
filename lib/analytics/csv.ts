import Papa from "papaparse";

/**
 * CSV writing for exports (SPEC 4, 10): papaparse quoting, CRLF lines, and formula-injection
 * safety: a text cell beginning with = + - @ tab or CR gets a leading `'` so a spreadsheet shows
 * it as text. papaparse's own default pattern (`^[=+\-@\t\r].*$`) misses values with a line break
 * after the first character, hence this anchored-at-start pattern.
 */

export const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number | boolean | null | undefined;

/**
 * `csv` (default): RFC 4180 with `,` and `.` decimals, for programs. `excel`: what Excel opens
 * in columns under a Ukrainian (or other comma-decimal) locale — a UTF-8 BOM first (else Excel
 * reads the bytes as Windows-1251), `;` between cells and a decimal comma in numbers (docs/i18n.md).
 */
export const CSV_DIALECTS = ["csv", "excel"] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

/** What an Excel file starts with: the byte order mark, U+FEFF (EF BB BF in UTF-8). */
export const EXCEL_BOM = "\uFEFF";

/** A text cell for the excel dialect: formula-safe, quoted when it holds `;`, a quote or a line break. */
function excelText(s: string): string {
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return /[;"\r\n]|^\s|\s$/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function excelCell(c: Cell): string {
  if (c === null || c === undefined) return "";
  if (typeof c === "number") return Number.isFinite(c) ? String(c).replace(".", ",") : "";
  return excelText(String(c));
}

/** One CSV chunk: optionally the header line, then the rows; every line ends with CRLF. */
export function csvChunk(fields: readonly string[], data: readonly (readonly Cell[])[], withHeader: boolean, dialect: CsvDialect = "csv"): string {
  if (dialect === "excel") {
    const lines = [...(withHeader ? [fields] : []), ...data].map((r) => r.map(excelCell).join(";"));
    return lines.length ? `${lines.join("\r\n")}\r\n` : "";
  }
  if (data.length === 0 && !withHeader) return "";
  if (data.length === 0) return `${Papa.unparse([fields as string[]], { escapeFormulae: FORMULA_START })}\r\n`;
  const text = Papa.unparse(
    { fields: fields as string[], data: data.map((r) => r.map((c) => (c === null || c === undefined ? "" : c))) },
    { header: withHeader, escapeFormulae: FORMULA_START, newline: "\r\n" },
  );
  return `${text}\r\n`;
}

/** A whole small table as CSV text. */
export function toCsv(fields: readonly string[], data: readonly (readonly Cell[])[], dialect: CsvDialect = "csv"): string {
  return (dialect === "excel" ? EXCEL_BOM : "") + csvChunk(fields, data, true, dialect);
}

/** Rows of objects → cells in the order of `fields`. */
export function pick<T extends object>(row: T, fields: readonly string[]): Cell[] {
  return fields.map((f) => (row as Record<string, Cell>)[f]);
}
