import { progressBar, type Progress } from "@/lib/runtime/progress";
import { parseCostImportParams } from "@/lib/costs/import";
import { importFile } from "../import/import-file";
import { action, stdout, withDb, type CliCommand } from "../context";

export const importCommand: CliCommand = (program) => {
  program
    .command("import")
    .argument("<file>", "a .json batch body {sessions, events, orders} or array of orders; or a .csv of orders, sessions, events or ad spend (by header)")
    .description("load sessions, events and orders from a file through the batch ingestion, with a progress bar; or ad spend (generic CSV or a Google Ads / Meta / TikTok daily campaign export)")
    .option("--source <source>", "ad spend: the utm_source for a platform export's rows (default google / facebook / tiktok)")
    .option("--currency <code>", "ad spend: the export's currency (ISO 4217) when the file names none")
    .option("--rate <rate>", "ad spend: APP_CURRENCY per 1 unit of the export's currency, instead of the stored day rates")
    .option("--dry-run", "ad spend: parse and print the summary without writing")
    .action(
      action(async (file: string, opts: { source?: string; rate?: string; currency?: string; dryRun?: boolean }) => {
        const cost = parseCostImportParams({ source: opts.source, rate: opts.rate, currency: opts.currency, dry_run: opts.dryRun ? "1" : undefined });
        await withDb(async (db) => {
          let bar: Progress | undefined;
          let unit = "";
          try {
            const res = await importFile(
              db,
              file,
              (done, total) => {
                if (!bar) {
                  unit = file.toLowerCase().endsWith(".csv") ? "bytes" : "records";
                  bar = progressBar("import", total, unit);
                }
                bar.update(done);
              },
              cost,
            );
            bar?.stop();
            if (res.costs) {
              const c = res.costs;
              const span = c.start_date ? `, ${c.start_date} to ${c.end_date}` : "";
              const days = c.day_rates ? Object.keys(c.day_rates).length : 0;
              const rate =
                c.rate !== null
                  ? ` (${c.total_original?.toFixed(2)} ${c.currency} at ${c.rate})`
                  : c.day_rates
                    ? ` (${c.total_original?.toFixed(2)} ${c.currency} at the day rates of ${days} day${days === 1 ? "" : "s"})`
                    : "";
              stdout(
                `${c.dry_run ? "Dry run of" : "Imported"} ${file} (ad spend, ${c.format}${c.source ? `, source ${c.source}` : ""}): ` +
                  `${c.rows} rows${span}, total ${c.total.toFixed(2)}${rate}; ${c.added} added, ${c.replaced} replaced, ${c.skipped.length} skipped.`,
              );
              for (const s of c.skipped) stdout(`  line ${s.line}: ${s.reason}`);
              if (c.unmatched > 0) {
                stdout(`${c.unmatched} platform campaign${c.unmatched === 1 ? "" : "s"} match no utm_campaign; suggestions (accept in Settings › Campaign mapping):`);
                for (const s of c.suggestions) stdout(`  ${s.utm_source} "${s.platform_campaign}" → ${s.utm_campaign} (${s.reason}, ${s.sessions} sessions)`);
              }
              return;
            }
            stdout(`Imported ${file} (${res.kind}): ${res.sessions} sessions, ${res.events} events, ${res.orders} orders stored or updated.`);
          } finally {
            bar?.stop();
          }
        });
      }),
    );
};
