import { action, stdout, withDb, type CliCommand } from "../context";

export const migrateCommand: CliCommand = (program) => {
  program
    .command("migrate")
    .description("apply the database migrations in drizzle/ (idempotent)")
    .action(
      action(async () => {
        // withDb migrates on open; this command just says where.
        await withDb(async (_db, handle) => stdout(`Migrations applied (${handle.description}).`));
      }),
    );
};
