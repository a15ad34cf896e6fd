import { readFile } from "node:fs/promises";
import { decodeCsvBytes } from "@/lib/costs/platform-csv";
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { importProductCosts, parseProductCostsCsv, recomputeAllOrderCosts, type ImportCostsResult } from "@/lib/profit/product-costs";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

/** A product cost list is one line per sku. */
const MAX_COSTS_FILE_BYTES = 20 * 1024 * 1024;

export async function runCostsImport(db: Db, file: string, out: Out = stdout): Promise<ImportCostsResult> {
  const bytes = await readFile(file);
  if (bytes.byteLength > MAX_COSTS_FILE_BYTES) throw badRequest(`${file} is larger than ${MAX_COSTS_FILE_BYTES / 1024 / 1024} MB`);
  const r = await importProductCosts(db, parseProductCostsCsv(decodeCsvBytes(bytes)));
  out(`Imported ${file}: ${r.skus} product costs (${r.added} added, ${r.replaced} replaced); ${r.orders_recosted} orders re-costed.`);
  return r;
}

export const costsCommand: CliCommand = (program) => {
  const costs = program.command("costs").description("product costs for contribution margin (SPEC 18, docs/money.md)");
  costs
    .command("import")
    .argument("<file>", ".csv with the columns sku,cost (unit cost in APP_CURRENCY)")
    .description("store product costs by sku and re-cost the orders that carry them")
    .action(action(async (file: string) => withDb((db) => runCostsImport(db, file).then(() => undefined))));
  costs
    .command("recompute")
    .description("recompute every order's COGS and payment fee with the current settings (after changing PAYMENT_FEE_PCT / PAYMENT_FEE_FIXED)")
    .action(
      action(async () =>
        withDb(async (db) => {
          const r = await recomputeAllOrderCosts(db);
          stdout(`${r.orders_recosted} orders re-costed.`);
        }),
      ),
    );
};
