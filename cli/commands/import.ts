import { progressBar, type Progress } from "@/lib/runtime/progress";
import { importFile } from "../import/import-file";
import { action, stdout, withDb, type CliCommand } from "../context";

export const importCommand: CliCommand = (program) => {
  program
    .command("import")
    .argument("<file>", "a .json batch body {sessions, events, orders} or array of orders; or a .csv of orders, sessions, events or ad spend (by header)")
    .description("load sessions, events and orders from a file through the batch ingestion, with a progress bar")
    .action(
      action(async (file: string) => {
        await withDb(async (db) => {
          let bar: Progress | undefined;
          let unit = "";
          try {
            const res = await importFile(db, file, (done, total) => {
              if (!bar) {
                unit = file.toLowerCase().endsWith(".csv") ? "bytes" : "records";
                bar = progressBar("import", total, unit);
              }
              bar.update(done);
            });
            bar?.stop();
            const what =
              res.kind === "ad spend"
                ? `${res.adSpend} ad-spend rows`
                : `${res.sessions} sessions, ${res.events} events, ${res.orders} orders`;
            stdout(`Imported ${file} (${res.kind}): ${what} stored or updated.`);
          } finally {
            bar?.stop();
          }
        });
      }),
    );
};
