import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { SCHEMA_MODULES } from "../helpers/db";

// drizzle-kit reads lib/db/schema.ts and lib/db/schema-*.ts (drizzle.config.ts); the test reset
// must truncate the tables of each, or rows of one test leak into the next.
it("every lib/db/schema*.ts file is in the tables the tests reset", () => {
  const files = readdirSync(path.join(__dirname, "../../lib/db")).filter((f) => /^schema(-[a-z-]+)?\.ts$/.test(f));
  expect(files.length).toBe(Object.keys(SCHEMA_MODULES).length);
});
