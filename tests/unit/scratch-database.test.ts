import { describe, expect, it } from "vitest";
import { createScratchDatabase } from "@/lib/db/scratch-database";

// The tests and the bench drop their scratch databases: both guards run before any connection.
describe("scratch databases", () => {
  it("refuses a server that is not local", async () => {
    await expect(
      createScratchDatabase("postgres://postgres@db.example.com:5432/prod", "utmd_test_x", { variable: "TEST_DATABASE_URL" }),
    ).rejects.toThrow("TEST_DATABASE_URL must point at a local server, not db.example.com");
  });

  it("refuses a name that is not a plain SQL identifier", async () => {
    await expect(
      createScratchDatabase("postgres://postgres@127.0.0.1:5432/test", "x; DROP DATABASE test", { variable: "DATABASE_URL" }),
    ).rejects.toThrow("database name must be a lower-case SQL identifier");
  });
});
