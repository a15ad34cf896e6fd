import { expect, it } from "vitest";
import { EMBEDDED_SESSIONS_LIMIT, embeddedSize, isEmbedded, sizeWarningLine } from "@/lib/db/size-warning";
import { seedDemo } from "@/lib/demo/seed";
import { describeDb } from "../helpers/db";

/** Issue 14: the embedded database's size warning (settings and the start-up line). */

it("is given past EMBEDDED_SESSIONS_LIMIT sessions, with the sizes and the move-to-postgres command", () => {
  expect(EMBEDDED_SESSIONS_LIMIT).toBe(100_000);
  // 200 MiB = 209,715,200 bytes → "200 MB"; 123,456 sessions > 100,000.
  const line = sizeWarningLine({ embedded: true, sessions: 123_456, bytes: 209_715_200, overLimit: true });
  expect(line).toContain("123,456 sessions (200 MB), past 100,000");
  expect(line).toContain("npm run utm -- move-to-postgres");
  expect(sizeWarningLine({ embedded: true, sessions: 99_999, bytes: 1, overLimit: false })).toBeNull();
});

it("knows the embedded database in process and through the running app's socket", () => {
  expect(isEmbedded({ driver: "pglite", description: "PGlite (in memory)" })).toBe(true);
  expect(isEmbedded({ driver: "postgres", description: "PGlite (through the running app, pid 12)" })).toBe(true);
  expect(isEmbedded({ driver: "postgres", description: "PostgreSQL" })).toBe(false);
});

describeDb("embedded size", (ctx) => {
  it("counts the sessions of the embedded database; PostgreSQL is never warned about", async () => {
    await seedDemo(ctx.handle.db, { sessions: 30, days: 10, seed: 3 });
    const s = await embeddedSize(ctx.handle);
    if (ctx.handle.driver === "pglite") {
      // 30 sessions loaded, far below the limit.
      expect([s.embedded, s.sessions, s.overLimit]).toEqual([true, 30, false]);
      expect(s.bytes).toBeGreaterThan(0);
    } else {
      expect(s).toEqual({ embedded: false, sessions: 0, bytes: 0, overLimit: false });
    }
  });
});
