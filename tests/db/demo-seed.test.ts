import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rows } from "@/lib/db/client";
import { generateDemo } from "@/lib/demo/generate";
import { seedDemo } from "@/lib/demo/seed";
import { describeDb } from "../helpers/db";

const NOW = new Date("2026-05-15T12:00:00Z");
const OPTS = { sessions: 2_000, seed: 11, days: 120, now: NOW };

describeDb("demo data through the ingestion code", (ctx) => {
  it("stores what the generator produced and looks like a real shop", async () => {
    const db = ctx.handle.db;
    // What the generator hands out, counted independently of the database.
    const chunks = [...generateDemo(OPTS)];
    const expected = {
      sessions: chunks.reduce((n, c) => n + c.sessions.length, 0),
      events: chunks.reduce((n, c) => n + c.events.length, 0),
      orders: chunks.reduce((n, c) => n + c.orders.length, 0),
      spend: Math.round(chunks.flatMap((c) => c.adSpend).reduce((n, r) => n + r.amount * 100, 0)) / 100,
    };
    const progress: number[] = [];
    const res = await seedDemo(db, { ...OPTS, onProgress: (p) => progress.push(p.sessionsDone) });
    expect({ sessions: res.sessions, events: res.events, orders: res.orders }).toEqual({
      sessions: 2_000,
      events: expected.events,
      orders: expected.orders,
    });
    expect(progress[progress.length - 1]).toBe(2_000);

    const [s] = await rows<{ sessions: number; converted: number; returning: number; sources: number; events: number; spend: number }>(
      db,
      sql`select count(*)::int as sessions,
                 count(*) filter (where paid_orders > 0)::int as converted,
                 count(*) filter (where is_returning)::int as returning,
                 count(distinct utm_source)::int as sources,
                 (select count(*)::int from events) as events,
                 (select sum(amount)::float8 from ad_spend) as spend
          from sessions`,
    );
    expect(s.sessions).toBe(2_000);
    expect(s.events).toBe(expected.events);
    expect(s.spend).toBeCloseTo(expected.spend, 2);
    // 3–5% converted is the design; 2–6% leaves room for a small sample.
    expect(s.converted / s.sessions).toBeGreaterThan(0.02);
    expect(s.converted / s.sessions).toBeLessThan(0.06);
    expect(s.returning).toBeGreaterThan(200);
    expect(s.sources).toBeGreaterThanOrEqual(3);
    // About 4 events per session.
    expect(s.events / s.sessions).toBeGreaterThan(3.3);
    expect(s.events / s.sessions).toBeLessThan(4.8);

    const contents = await rows<{ utm_content: string }>(
      db,
      sql`select distinct utm_content::text from sessions where utm_campaign = 'spring_sale' order by 1`,
    );
    expect(contents.map((c) => c.utm_content)).toEqual(["banner_a", "carousel_c", "video_b"]);

    const [c] = await rows<{ customers: number; repeat: number; refunded: number; pending: number; steps: number }>(
      db,
      sql`select (select count(*)::int from customers) as customers,
                 (select count(*)::int from customers where paid_orders >= 2) as repeat,
                 (select count(*)::int from orders where status = 'refunded') as refunded,
                 (select count(*)::int from orders where status = 'pending') as pending,
                 (select count(distinct funnel_step)::int from sessions) as steps`,
    );
    expect(c.customers).toBeGreaterThan(30);
    expect(c.repeat).toBeGreaterThan(0);
    expect(c.refunded).toBeGreaterThan(0);
    expect(c.pending).toBeGreaterThan(0);
    // Every funnel step 0..3 is reached by someone.
    expect(c.steps).toBe(4);
  });

  it("is idempotent: seeding the same seed twice stores nothing new", async () => {
    const db = ctx.handle.db;
    const small = { sessions: 300, seed: 5, days: 10, now: NOW };
    await seedDemo(db, small);
    await seedDemo(db, small);
    const [n] = await rows<{ s: number; o: number; a: number }>(
      db,
      sql`select (select count(*)::int from sessions) as s, (select count(*)::int from orders) as o, (select count(*)::int from ad_spend) as a`,
    );
    const chunks = [...generateDemo(small)];
    expect(n).toEqual({
      s: 300,
      o: chunks.reduce((k, ch) => k + ch.orders.length, 0),
      a: chunks.reduce((k, ch) => k + ch.adSpend.length, 0),
    });
  });
});
