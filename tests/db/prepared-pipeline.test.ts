import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { preparedPipeline } from "@/lib/ingest/sql-util";
import { describeDb } from "../helpers/db";

/**
 * preparedPipeline (lib/ingest/sql-util.ts), the collect flush's one round trip for its two
 * statements: each statement runs as if sent alone, in order: a later one sees what an earlier
 * one committed, a failing one does not stop or undo the others, and its error is thrown after
 * all have run.
 */

describeDb("preparedPipeline", (ctx) => {
  const db = () => ctx.handle.db;

  it("runs the statements in order, each committed on its own; a failure is thrown after the rest ran", async () => {
    await db().execute(sql`CREATE TABLE IF NOT EXISTS pipeline_probe (id int PRIMARY KEY, label text NOT NULL)`);
    await db().execute(sql`TRUNCATE pipeline_probe`);

    const got = await preparedPipeline(db(), [
      sql`INSERT INTO pipeline_probe (id, label) VALUES (1, ${"one"}), (2, ${"two"})`,
      // Sees both rows of the statement before it: 1 + 2 = 3.
      sql`SELECT sum(id)::int AS s, count(*)::int AS n FROM pipeline_probe`,
      // A json parameter arrives as the text it is (the collect statements' one parameter).
      sql`SELECT x.a, x.b FROM json_to_recordset(${JSON.stringify([{ a: 7, b: "x'y" }])}::json) AS x(a int, b text)`,
    ]);
    expect(got[1]).toEqual([{ s: 3, n: 2 }]);
    expect(got[2]).toEqual([{ a: 7, b: "x'y" }]);

    // The middle statement breaks the primary key; the first and the last still commit.
    await expect(
      preparedPipeline(db(), [
        sql`INSERT INTO pipeline_probe (id, label) VALUES (3, ${"three"})`,
        sql`INSERT INTO pipeline_probe (id, label) VALUES (1, ${"again"})`,
        sql`INSERT INTO pipeline_probe (id, label) VALUES (4, ${"four"})`,
      ]),
    ).rejects.toThrow();
    const left = await rows<{ id: number; label: string }>(db(), sql`SELECT id, label FROM pipeline_probe ORDER BY id`);
    expect(left).toEqual([
      { id: 1, label: "one" },
      { id: 2, label: "two" },
      { id: 3, label: "three" },
      { id: 4, label: "four" },
    ]);
    await db().execute(sql`DROP TABLE pipeline_probe`);
  });
});
