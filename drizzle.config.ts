import { defineConfig } from "drizzle-kit";

// Migrations are generated from lib/db/schema.ts and applied by lib/db/migrate.ts on both
// drivers (PGlite and PostgreSQL); drizzle-kit itself never touches a live database here.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
