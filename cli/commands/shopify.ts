import type { Db } from "@/lib/db/client";
import { runShopifyBackfill, type BackfillResult } from "@/lib/integrations/shopify/backfill";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

/** `npm run utm -- shopify backfill --shop <domain> --token <admin token> [--since DATE]` (SPEC 17.1). */

export async function runBackfill(
  db: Db,
  opts: { shop: string; token: string; since?: string },
  out: Out = stdout,
  progress: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Promise<BackfillResult> {
  const r = await runShopifyBackfill(db, { ...opts, log: progress });
  out(`Shopify backfill of ${opts.shop.trim().toLowerCase()}: ${r.orders} orders stored or updated in ${r.pages} pages${r.skipped ? `, ${r.skipped} skipped (see above)` : ""}${r.resumed ? " (resumed)" : ""}`);
  return r;
}

export const shopifyCommand: CliCommand = (program) => {
  const shopify = program.command("shopify").description("Shopify: read past orders through the Admin GraphQL API");
  shopify
    .command("backfill")
    .description("store the shop's past orders (resumable; running it again changes nothing)")
    .requiredOption("--shop <domain>", "the shop's myshopify.com domain")
    .requiredOption("--token <token>", "an Admin API access token with the read_orders scope")
    .option("--since <date>", "only orders created on or after YYYY-MM-DD")
    .action(action(async (opts: { shop: string; token: string; since?: string }) => withDb(async (db) => void (await runBackfill(db, opts)))));
};
