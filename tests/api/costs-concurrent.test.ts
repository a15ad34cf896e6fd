import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { POST as adSpendPost } from "@/app/api/utm/ad-spend/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { describeDb } from "../helpers/db";

/**
 * SPEC 21: concurrent uploads of overlapping cost files serialize (lib/analytics/spend-write-lock.ts):
 * never 500 (a deadlock between upserts of the same keys in different orders), never 503 (every
 * waiting upload holding a pooled connection). 50 files at once, each with the same 20 keys in its
 * own order plus one key of its own.
 */

const ctxOf = { params: Promise.resolve({}) };

function file(i: number): string {
  const lines = ["date,utm_source,utm_campaign,amount"];
  const keys = Array.from({ length: 20 }, (_, k) => k);
  // Rotate the shared keys so no two files write them in the same order.
  const order = [...keys.slice(i % 20), ...keys.slice(0, i % 20)];
  if (i % 2) order.reverse();
  for (const k of order) lines.push(`2026-03-${String(1 + (k % 28)).padStart(2, "0")},google,c${k},${i + 1}`);
  lines.push(`2026-04-01,google,own${i},1`);
  return lines.join("\n") + "\n";
}

describeDb("concurrent cost uploads (SPEC 21)", (ctx) => {
  it("50 overlapping CSV uploads at once: all 200, every key stored once, amounts from one of the files", async () => {
    const db = ctx.handle.db;
    const { token } = await createApiToken(db, { name: "i", scopes: ["ingest", "read"] });
    const post = (i: number) =>
      (adSpendPost as (r: Request, c: typeof ctxOf) => Promise<Response>)(
        new Request("http://localhost:3000/api/utm/ad-spend", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" }, body: file(i) }),
        ctxOf,
      );
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    // 20 shared keys + 50 own keys = 70 rows; each shared amount is one file's (1..50).
    const stored = await rows<{ n: number; shared: number; lo: number; hi: number }>(
      db,
      sql`select count(*)::int as n, count(*) filter (where utm_campaign like 'c%')::int as shared,
                 min(amount)::float8 as lo, max(amount)::float8 as hi from ad_spend`,
    );
    expect(stored[0].n).toBe(70);
    expect(stored[0].shared).toBe(20);
    expect(stored[0].lo).toBeGreaterThanOrEqual(1);
    expect(stored[0].hi).toBeLessThanOrEqual(50);
  });
});
