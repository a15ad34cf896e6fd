import { defineConfig } from "drizzle-kit";

// Migrations are generated from lib/db/schema.ts and applied by lib/db/migrate.ts on both
// drivers (PGlite and PostgreSQL); drizzle-kit itself never touches a live database here.
export default defineConfig({
  dialect: "postgresql",
  // Part three adds its tables in lib/db/schema-<topic>.ts files beside the core schema.
  schema: ["./lib/db/schema.ts", "./lib/db/schema-*.ts"],
  out: "./drizzle",
});
