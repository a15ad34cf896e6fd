import { expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { describeDb } from "../helpers/db";

/**
 * int8 and numeric are parsed once at each driver (lib/db/client.ts openDb), so raw SQL returns
 * the same JS values on PGlite and on postgres.js without `::int` / `::float8` casts.
 */
describeDb("driver number parsing", (ctx) => {
  it("gives counts and integer sums as numbers, and an int8 past 2^53 as an exact bigint", async () => {
    const [r] = await rows<{ n: unknown; s: unknown; big: unknown; low: unknown; neg: unknown; arr: unknown }>(
      ctx.handle.db,
      sql`select count(*) as n, sum(x) as s,
                 9007199254740993::int8 as big, (-9223372036854775807 - 1)::int8 as low, (-5)::int8 as neg,
                 array[1::int8, 2::int8] as arr
          from (values (1::int8), (2::int8), (40::int8)) t(x)`,
    );
    // 3 rows; 1 + 2 + 40 = 43 (sum of int8 is numeric: parsed as a number too).
    expect(r.n).toBe(3);
    expect(r.s).toBe(43);
    // 2^53 + 1 = 9007199254740993 has no exact double: kept as a bigint; likewise -2^63.
    expect(r.big).toBe(9007199254740993n);
    expect(r.low).toBe(-9223372036854775808n);
    expect(r.neg).toBe(-5);
    expect(r.arr).toEqual([1, 2]);
  });

  it("gives numeric as the number ::float8 gave, sums of money exact before the conversion", async () => {
    const [r] = await rows<{ m: unknown; total: unknown; as_float: unknown; avg: unknown; rounded: unknown; none: unknown }>(
      ctx.handle.db,
      sql`select 12.50::numeric(14,2) as m, sum(x) as total, sum(x)::float8 as as_float, avg(x) as avg,
                 round(10::numeric / 3, 2) as rounded, (select sum(x) from (values (1.5::numeric)) e(x) where false) as none
          from (values (0.10::numeric(14,2)), (0.20::numeric(14,2)), (1234567.89::numeric(14,2))) t(x)`,
    );
    expect(r.m).toBe(12.5);
    // 0.10 + 0.20 + 1234567.89 = 1234568.19 exactly in numeric; the nearest double, as ::float8 gives it.
    expect(r.total).toBe(1234568.19);
    expect(r.total).toBe(r.as_float);
    // (0.10 + 0.20 + 1234567.89) / 3 = 411522.73 exactly.
    expect(r.avg).toBe(411522.73);
    // 10 / 3 = 3.333… rounded to 2 places.
    expect(r.rounded).toBe(3.33);
    expect(r.none).toBeNull();
  });

  it("round-trips the 64-bit visitor_key exactly through drizzle's bigint column and raw SQL", async () => {
    const db = ctx.handle.db;
    const ids = ["visitor-a", "visitor-b", "visitor-c"];
    for (const [i, visitorId] of ids.entries()) {
      await db.insert(sessions).values({
        id: `00000000-0000-4000-8000-00000000000${i + 1}`,
        visitorId,
        startedAt: new Date("2026-01-02T03:04:05Z"),
        lastEventAt: new Date("2026-01-02T03:04:05Z"),
      });
    }
    const text = await rows<{ visitor_id: string; k: string; raw: unknown }>(
      db,
      sql`select visitor_id, visitor_key::text as k, visitor_key as raw from sessions order by visitor_id`,
    );
    expect(text.map((t) => t.visitor_id)).toEqual(ids);
    for (const t of text) {
      const [viaDrizzle] = await db.select({ key: sessions.visitorKey }).from(sessions).where(eq(sessions.visitorId, t.visitor_id));
      // The database's decimal text is the reference: drizzle's bigint mode gives exactly that value.
      expect(typeof viaDrizzle.key).toBe("bigint");
      expect(viaDrizzle.key).toBe(BigInt(t.k));
      // Raw SQL: the same value, a number only when it is exact as one.
      expect(BigInt(t.raw as number | bigint)).toBe(BigInt(t.k));
      expect(typeof t.raw).toBe(Number.isSafeInteger(Number(t.k)) ? "number" : "bigint");
    }
    // A bigint parameter is compared as int8, bit for bit.
    const [found] = await rows<{ n: unknown }>(db, sql`select count(*) as n from sessions where visitor_key = ${BigInt(text[1].k)}::int8`);
    expect(found.n).toBe(1);
  });

  it("leaves dates and timestamps in raw rows as the server's text, as before", async () => {
    const [r] = await rows<{ d: unknown; t: unknown }>(
      ctx.handle.db,
      sql`select date '2026-03-01' as d, timestamptz '2026-03-01 10:30:00+00' as t`,
    );
    expect(r.d).toBe("2026-03-01");
    expect(typeof r.t).toBe("string");
    expect(new Date(r.t as string).toISOString()).toBe("2026-03-01T10:30:00.000Z");
  });
});
