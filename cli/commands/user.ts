import { createUser, ROLES, type Role } from "@/lib/auth/users";
import type { Db } from "@/lib/db/client";
import { action, stdout, withDb, type CliCommand, type Out } from "../context";

export async function runUserCreate(db: Db, opts: { email: string; password: string; role: string }, out: Out = stdout): Promise<void> {
  if (!(ROLES as readonly string[]).includes(opts.role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const user = await createUser(db, { email: opts.email, password: opts.password, role: opts.role as Role });
  out(`Created ${user.role} ${user.email} (id ${user.id}).`);
}

export const userCommand: CliCommand = (program) => {
  const user = program.command("user").description("manage dashboard users");
  user
    .command("create")
    .description("add a user who signs in with e-mail and password")
    .requiredOption("--email <email>", "e-mail address (the sign-in name)")
    .requiredOption("--password <password>", "at least 8 characters")
    .option("--role <role>", "admin or viewer", "viewer")
    .action(action(async (opts: { email: string; password: string; role: string }) => withDb((db) => runUserCreate(db, opts))));
};
