import { existsSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { importCsv, type CostCliOptions } from "./csv";
import type { CostImportAnswer } from "@/lib/costs/import";
import { importJson } from "./json";
import type { Counts } from "./records";

export type ImportResult = Counts & { kind: string; adSpend: number; costs?: CostImportAnswer };

/** `npm run utm -- import <file>`: the file's extension picks the reader (.csv or .json). */
export async function importFile(
  db: Db,
  file: string,
  onProgress: (done: number, total: number) => void = () => {},
  costOpts: CostCliOptions = {},
): Promise<ImportResult> {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const ext = path.extname(file).toLowerCase();
  if (ext === ".json") return { kind: "batch", ...(await importJson(db, file, onProgress)), adSpend: 0 };
  if (ext === ".csv") return importCsv(db, file, onProgress, costOpts);
  throw new Error(`${file}: expected a .csv or .json file`);
}
