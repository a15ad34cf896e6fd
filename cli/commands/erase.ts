import type { Db } from "@/lib/db/client";
import { eraseVisitor } from "@/lib/ingest/erase";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

export async function runErase(db: Db, visitorId: string, out: Out = stdout): Promise<void> {
  const id = visitorId.trim();
  if (!id || id.length > 64) throw new Error("--visitor must be a visitor id of 1 to 64 characters");
  const result = await eraseVisitor(db, id);
  out(`Erased visitor ${id}: ${JSON.stringify(result)}`);
}

export const eraseCommand: CliCommand = (program) => {
  program
    .command("erase")
    .description("remove a visitor's sessions and events and detach their orders (revenue totals kept)")
    .requiredOption("--visitor <id>", "the visitor id (utmd_vid)")
    .action(action(async (opts: { visitor: string }) => withDb((db) => runErase(db, opts.visitor))));
};
