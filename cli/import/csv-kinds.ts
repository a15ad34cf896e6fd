import type { Db } from "@/lib/db/client";
import { ingestChunk, type Counts } from "./records";

/**
 * The kinds of record CSV file `import` streams, recognised by their header line (first match wins).
 * Cost files (ad spend, SPEC 14) are recognised before these, in csv.ts, and imported whole.
 * To support another kind, add an entry: `matches` looks at the lower-cased header names,
 * `ingest` stores one chunk of rows (`offset` = index of the chunk's first row, for messages).
 */
export type CsvRow = Record<string, string>;
export type CsvKind = {
  name: string;
  /** Shown by `import --help` and in the "unknown header" error. */
  columns: string;
  matches: (headers: string[]) => boolean;
  ingest: (db: Db, rows: CsvRow[], offset: number) => Promise<Partial<Counts>>;
};

const has = (headers: string[], ...names: string[]) => names.every((n) => headers.includes(n));

/** Empty cells are "not set"; numbers and JSON cells get their types so validation sees values. */
function record(row: CsvRow, numeric: string[] = [], json: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(row)) {
    const v = raw.trim();
    if (v === "") continue;
    if (numeric.includes(k) && v !== "" && Number.isFinite(Number(v))) out[k] = Number(v);
    else if (json.includes(k)) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v; // validation names the field
      }
    } else out[k] = v;
  }
  return out;
}

export const CSV_KINDS: CsvKind[] = [
  {
    name: "orders",
    columns: "order_id, total, customer_id?, visitor_id?, session_id?, currency?, status?, placed_at?, items?",
    matches: (h) => has(h, "order_id"),
    ingest: (db, rows, offset) => ingestChunk(db, "orders", rows.map((r) => record(r, ["total", "items"])), offset),
  },
  {
    name: "sessions",
    columns: "id, visitor_id, started_at, landing_url?, referrer?, utm_*?, country?, device?, browser?, os?, user_agent?",
    matches: (h) => has(h, "id", "visitor_id", "started_at"),
    ingest: (db, rows, offset) => ingestChunk(db, "sessions", rows.map((r) => record(r)), offset),
  },
  {
    name: "events",
    columns: "id, session_id, type, occurred_at, name?, path?, properties? (JSON)",
    matches: (h) => has(h, "id", "session_id", "type", "occurred_at"),
    ingest: (db, rows, offset) => ingestChunk(db, "events", rows.map((r) => record(r, [], ["properties"])), offset),
  },
];
