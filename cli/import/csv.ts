import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import Papa from "papaparse";
import type { Db } from "@/lib/db/client";
import { CSV_KINDS, type CsvKind, type CsvRow } from "./csv-kinds";
import { CHUNK_RECORDS, zeroCounts, type Counts } from "./records";

export type CsvImportResult = Counts & { kind: string; adSpend: number };

/**
 * Streams a CSV file (papaparse) in chunks of rows, so a file of any size fits in memory. The
 * kind of file (orders, sessions, events, ad spend) is decided by its header line.
 */
export async function importCsv(db: Db, file: string, onProgress: (done: number, total: number) => void): Promise<CsvImportResult> {
  const size = (await stat(file)).size;
  const input = createReadStream(file);
  const parser = input.pipe(
    Papa.parse(Papa.NODE_STREAM_INPUT, {
      header: true,
      skipEmptyLines: "greedy",
      transformHeader: (h: string) => h.replace(/^\uFEFF/, "").trim().toLowerCase(),
    }),
  );
  let kind: CsvKind | undefined;
  let rows: CsvRow[] = [];
  let offset = 0;
  const counts: Counts = zeroCounts();
  let adSpend = 0;

  const flush = async () => {
    if (!kind || rows.length === 0) return;
    const res = await kind.ingest(db, rows, offset);
    counts.sessions += res.sessions ?? 0;
    counts.events += res.events ?? 0;
    counts.orders += res.orders ?? 0;
    adSpend += res.adSpend ?? 0;
    offset += rows.length;
    rows = [];
    onProgress(input.bytesRead, size);
  };

  for await (const row of parser as AsyncIterable<CsvRow>) {
    if (!kind) {
      const headers = Object.keys(row);
      kind = CSV_KINDS.find((k) => k.matches(headers));
      if (!kind) {
        input.destroy();
        throw new Error(
          `${file}: unknown CSV header (${headers.join(", ")}). Expected one of: ` + CSV_KINDS.map((k) => `${k.name} (${k.columns})`).join("; "),
        );
      }
    }
    rows.push(row);
    if (rows.length >= CHUNK_RECORDS) await flush();
  }
  await flush();
  if (!kind) throw new Error(`${file} holds no rows`);
  onProgress(size, size);
  return { ...counts, kind: kind.name, adSpend };
}
