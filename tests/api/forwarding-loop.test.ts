import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DbHandle } from "@/lib/db/client";
import { saveDestination } from "@/lib/forwarding/destinations";
import { startForwarder } from "@/lib/forwarding/loop";
import { withConfig } from "../helpers/config";
import { describeDb } from "../helpers/db";
import { META_TOKEN, PIXEL_ID, platformEnv, startPlatforms, type Platforms } from "../helpers/forwarding-platforms";

/**
 * SPEC 19: the in-process sender started with the server. A pass that cannot reach the database
 * (an outage) is logged once and the loop goes on; the queued events wait in the outbox and go
 * out when the database answers again.
 */

let p: Platforms;
beforeAll(async () => {
  p = await startPlatforms();
});
afterAll(async () => {
  await p.close();
});

describeDb("forwarding loop", (ctx) => {
  it("keeps polling through a database outage and delivers the queued order afterwards", async () => {
    await withConfig({ ...platformEnv(p.url), FORWARD_REQUIRE_CONSENT: "0" }, async () => {
      const db = ctx.handle.db;
      p.accepted("meta").length = 0; // the platforms serve both drivers' runs
      await db.execute(sql`TRUNCATE forward_outbox, forward_destinations RESTART IDENTITY`);
      await saveDestination(db, "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      await db.execute(sql`INSERT INTO orders (order_id, customer_id, total, placed_at) VALUES ('o1', 'c1', 10, now())`);
      await db.execute(sql`INSERT INTO forward_outbox (destination, order_id, event_id, next_attempt_at) VALUES ('meta', 'o1', 'o1', now() - interval '1 second')`);
      let down = 3; // the first three connection attempts fail, as while the database is away
      const logs: string[] = [];
      const loop = startForwarder(
        async () => {
          if (down-- > 0) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
          // The test's own handle, not closed by the loop.
          return { ...ctx.handle, close: async () => {} } as DbHandle;
        },
        { everyMs: 20, log: (l) => logs.push(l) },
      );
      try {
        for (let i = 0; i < 200 && p.accepted("meta").length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      } finally {
        await loop.stop();
      }
      expect(p.accepted("meta")).toEqual(["o1"]);
      // Logged once for the run of three failures, without repeating it every 20 ms.
      expect(logs.filter((l) => l.startsWith("forwarding pass failed"))).toHaveLength(1);
      expect(logs[0]).toContain("ECONNREFUSED");
    });
  });
});
