import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { claimSend, listSends, markFailed, markSent } from "@/lib/reports/send-log";
import { addSubscription, listSubscriptions, removeSubscription } from "@/lib/reports/subscriptions";
import { describeDb } from "../helpers/db";

const KEY = { period: "week", periodStart: "2026-01-05", periodEnd: "2026-01-11", recipient: "Boss@Shop.example" } as const;

describeDb("report send log", (ctx) => {
  it("claims once per (period, start, recipient); sent blocks a re-send unless forced", async () => {
    const db = ctx.handle.db;
    const first = await claimSend(db, KEY);
    expect(first).toEqual({ id: 1, retried: false });
    // Same key, recipient in another case: the same row, so no second claim.
    expect(await claimSend(db, { ...KEY, recipient: " boss@shop.example " })).toBeNull();
    await markSent(db, first!.id, "msg-1");
    expect(await claimSend(db, KEY)).toBeNull();
    // --force takes the sent row over (same id, no second row).
    expect(await claimSend(db, KEY, { force: true })).toEqual({ id: 1, retried: true });
    const log = await listSends(db);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ recipient: "boss@shop.example", status: "sending", message_id: null, period_start: "2026-01-05" });
    // Another period start is another row.
    // (Its id is not 2: a conflicting INSERT still consumes a sequence value.)
    expect(await claimSend(db, { ...KEY, periodStart: "2026-01-12", periodEnd: "2026-01-18" })).toMatchObject({ retried: false });
    expect((await listSends(db)).map((r) => r.period_start).sort()).toEqual(["2026-01-05", "2026-01-12"]);
  });

  it("a failed send is retried by the next run without force; a stuck 'sending' row only after 15 minutes", async () => {
    const db = ctx.handle.db;
    const c = await claimSend(db, KEY);
    await markFailed(db, c!.id, "Resend: 500");
    expect((await listSends(db))[0]).toMatchObject({ status: "failed", error: "Resend: 500" });
    expect(await claimSend(db, KEY)).toEqual({ id: 1, retried: true });
    // Now "sending" again: neither a plain nor a forced claim may take it while it is fresh…
    expect(await claimSend(db, KEY)).toBeNull();
    expect(await claimSend(db, KEY, { force: true })).toBeNull();
    // …but a claim older than 15 minutes (a crashed sender) is reclaimable.
    await db.execute(sql`update report_sends set created_at = now() - interval '16 minutes'`);
    expect(await claimSend(db, KEY)).toEqual({ id: 1, retried: true });
  });

  it("ten concurrent claims of the same key: exactly one wins, one row", async () => {
    const db = ctx.handle.db;
    const results = await Promise.all(Array.from({ length: 10 }, () => claimSend(db, KEY)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const [n] = await rows<{ n: number }>(db, sql`select count(*)::int as n from report_sends`);
    expect(n.n).toBe(1);
  });
});

describeDb("report subscriptions", (ctx) => {
  it("adds, lists by period, updates the language of an existing (email, period), removes", async () => {
    const db = ctx.handle.db;
    const a = await addSubscription(db, { email: " Ann@Shop.example ", period: "week", language: "en" });
    expect(a).toMatchObject({ created: true, subscription: { id: 1, email: "ann@shop.example", period: "week", language: "en" } });
    await addSubscription(db, { email: "bob@shop.example", period: "month" });
    const again = await addSubscription(db, { email: "ann@shop.example", period: "week", language: "uk" });
    expect(again).toMatchObject({ created: false, subscription: { id: 1, language: "uk" } });
    expect((await listSubscriptions(db, "week")).map((s) => [s.email, s.language])).toEqual([["ann@shop.example", "uk"]]);
    // Default language is Ukrainian; the list is ordered by period then e-mail.
    expect((await listSubscriptions(db)).map((s) => `${s.period}:${s.email}:${s.language}`)).toEqual(["month:bob@shop.example:uk", "week:ann@shop.example:uk"]);
    expect(await removeSubscription(db, 1)).toBe(true);
    expect(await removeSubscription(db, 1)).toBe(false);
    await expect(addSubscription(db, { email: "not-an-email", period: "week" })).rejects.toThrow();
    await expect(addSubscription(db, { email: "x@y.example", period: "year" as "week" })).rejects.toThrow();
  });
});
