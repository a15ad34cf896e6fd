import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import Papa from "papaparse";
import { config } from "@/lib/config";
import { importCostCsv, type CostImportAnswer } from "@/lib/costs/import";
import { decodeCostFile } from "@/lib/costs/decode";
import { looksLikeCostCsv, nearlyCostCsv } from "@/lib/costs/platform-csv";
import type { Db } from "@/lib/db/client";
import { upkeepBetweenChunks } from "@/lib/db/upkeep";
import { CSV_KINDS, type CsvKind, type CsvRow } from "./csv-kinds";
import { CHUNK_RECORDS, zeroCounts, type Counts } from "./records";

export type CsvImportResult = Counts & { kind: string; adSpend: number; costs?: CostImportAnswer };
/** Options of a cost file (SPEC 14, 17.5): `--source`, `--currency`, `--rate`, `--dry-run`. */
export type CostCliOptions = { source?: string; rate?: number; currency?: string; dryRun?: boolean };

/** Cost files are small (one row per day and campaign): read whole, at most this many bytes. */
const MAX_COST_FILE_BYTES = 50 * 1024 * 1024;

async function head(file: string, bytes = 64 * 1024): Promise<Uint8Array> {
  const fh = await open(file, "r");
  try {
    const buf = new Uint8Array(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Streams a CSV file (papaparse) in chunks of rows, so a file of any size fits in memory. The
 * kind of file (orders, sessions, events, ad spend) is decided by its header line.
 */
export async function importCsv(
  db: Db,
  file: string,
  onProgress: (done: number, total: number) => void,
  costOpts: CostCliOptions = {},
): Promise<CsvImportResult> {
  const size = (await stat(file)).size;
  // Ad spend (the generic columns or a platform export with title lines above its header) is
  // recognised on the file's head and imported whole, like POST /api/utm/ad-spend (same decoder);
  // a near miss of a cost header goes there too, to be refused naming the missing column.
  const headText = decodeCostFile(await head(file));
  if (looksLikeCostCsv(headText) || nearlyCostCsv(headText)) {
    if (size > MAX_COST_FILE_BYTES) throw new Error(`${file}: a cost file may hold at most ${MAX_COST_FILE_BYTES / 1024 / 1024} MB`);
    const costs = await importCostCsv(db, decodeCostFile(await readFile(file)), { appCurrency: config().currency, ...costOpts });
    onProgress(size, size);
    return { ...zeroCounts(), kind: "ad spend", adSpend: costs.rows, costs };
  }
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

  const upkeepDue = upkeepBetweenChunks(db);
  const flush = async () => {
    if (!kind || rows.length === 0) return;
    await upkeepDue();
    const res = await kind.ingest(db, rows, offset);
    counts.sessions += res.sessions ?? 0;
    counts.events += res.events ?? 0;
    counts.orders += res.orders ?? 0;
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
          `${file}: unknown CSV header (${headers.join(", ")}). Expected one of: ` +
            [...CSV_KINDS.map((k) => `${k.name} (${k.columns})`), "ad spend (date, utm_source, utm_campaign, amount; or a daily campaign export of Google Ads, Meta Ads Manager or TikTok Ads Manager)"].join("; "),
        );
      }
    }
    rows.push(row);
    if (rows.length >= CHUNK_RECORDS) await flush();
  }
  await flush();
  if (!kind) throw new Error(`${file} holds no rows`);
  onProgress(size, size);
  return { ...counts, kind: kind.name, adSpend: 0 };
}
