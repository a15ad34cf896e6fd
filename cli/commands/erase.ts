import type { Db } from "@/lib/db/client";
import { visitorIdProblem } from "@/lib/ids";
import { eraseVisitor } from "@/lib/ingest/erase";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

export async function runErase(db: Db, visitorId: string, out: Out = stdout): Promise<void> {
  const id = visitorId.trim();
  const problem = visitorIdProblem(id);
  if (problem) throw new Error(`--visitor ${problem}`);
  const result = await eraseVisitor(db, id);
  out(`Erased visitor ${id}: ${JSON.stringify(result)}`);
}

export const eraseCommand: CliCommand = (program) => {
  program
    .command("erase")
    .description("delete a visitor's events, anonymise their sessions and detach their orders (every total kept)")
    .requiredOption("--visitor <id>", "the visitor id (utmd_vid)")
    .action(action(async (opts: { visitor: string }) => withDb((db) => runErase(db, opts.visitor))));
};
