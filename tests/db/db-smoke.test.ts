import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { describeDb } from "../helpers/db";

describeDb("database driver and migrations", (ctx) => {
  it("applies every migration and round-trips a session with its defaults", async () => {
    const db = ctx.handle.db;
    await db.insert(sessions).values({
      id: "00000000-0000-4000-8000-000000000001",
      visitorId: "v1",
      startedAt: new Date("2026-01-02T03:04:05Z"),
      lastEventAt: new Date("2026-01-02T03:04:05Z"),
    });
    const got = await rows<{ utm_source: string; n: number; started: string }>(
      db,
      sql`select utm_source, count(*)::int as n, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as started from sessions group by 1, 3`,
    );
    // One row inserted with no source: the default "(direct)"; time stored as given.
    expect(got).toEqual([{ utm_source: "(direct)", n: 1, started: "2026-01-02T03:04:05" }]);
  });
});
