import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { DELETE } from "@/app/api/utm/visitors/[id]/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { rows } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/batch";
import { eraseVisitor } from "@/lib/ingest/erase";
import { describeDb } from "./helpers/db";
import { call, eid, sid, type Handler } from "./helpers/ingest";

const del = DELETE as unknown as Handler;

describeDb("erase a visitor (SPEC 10)", (ctx) => {
  const db = () => ctx.handle.db;

  const load = () =>
    ingestBatch(db(), {
      sessions: [
        { id: sid(1), visitor_id: "v1", started_at: "2026-03-01T10:00:00Z", utm_source: "google" },
        { id: sid(2), visitor_id: "v1", started_at: "2026-03-02T10:00:00Z", utm_source: "facebook" },
        { id: sid(3), visitor_id: "v2", started_at: "2026-03-02T10:00:00Z", utm_source: "tiktok" },
      ],
      events: [
        { id: eid(1), session_id: sid(1), type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
        { id: eid(2), session_id: sid(2), type: "page_view", occurred_at: "2026-03-02T10:00:00Z" },
        { id: eid(3), session_id: sid(2), type: "add_to_cart", occurred_at: "2026-03-02T10:01:00Z" },
        { id: eid(4), session_id: sid(3), type: "page_view", occurred_at: "2026-03-02T10:00:00Z" },
      ],
      orders: [
        // No customer_id: customer "visitor:v1", attributed to sid(2).
        { order_id: "o1", visitor_id: "v1", total: 100, placed_at: "2026-03-02T11:00:00Z" },
        // Named customer, attributed to v1's session sid(1) explicitly.
        { order_id: "o2", customer_id: "c2", session_id: sid(1), total: 40, placed_at: "2026-03-03T11:00:00Z" },
        { order_id: "o3", visitor_id: "v2", total: 7, placed_at: "2026-03-03T11:00:00Z" },
      ],
    });

  it("removes the visitor's sessions and events, detaches its orders, keeps revenue", async () => {
    await load();
    expect(await eraseVisitor(db(), "v1")).toEqual({ sessions: 2, events: 3, orders: 2 });
    const left = await rows<{ s: number; e: number; rev: number }>(
      db(),
      sql`SELECT (SELECT count(*) FROM sessions)::int AS s, (SELECT count(*) FROM events)::int AS e,
                 (SELECT sum(total) FROM orders WHERE status = 'paid')::float8 AS rev`,
    );
    // Only v2's session and event remain; revenue 100 + 40 + 7 = 147 is intact.
    expect(left).toEqual([{ s: 1, e: 1, rev: 147 }]);
    const orders = await rows<{ order_id: string; visitor_id: string | null; session_id: string | null; customer_id: string }>(
      db(),
      sql`SELECT order_id, visitor_id, session_id::text, customer_id FROM orders ORDER BY order_id`,
    );
    expect(orders[0]).toMatchObject({ order_id: "o1", visitor_id: null, session_id: null });
    expect(orders[0].customer_id).toMatch(/^erased:[0-9a-f-]{36}$/);
    expect(orders.slice(1)).toEqual([
      { order_id: "o2", visitor_id: null, session_id: null, customer_id: "c2" },
      { order_id: "o3", visitor_id: "v2", session_id: sid(3), customer_id: "visitor:v2" },
    ]);
    const customers = await rows<{ customer_id: string; acquisition_session_id: string | null; utm_source: string; revenue: number }>(
      db(),
      sql`SELECT customer_id, acquisition_session_id::text, utm_source, revenue::float8 AS revenue FROM customers
          ORDER BY revenue DESC`,
    );
    // Nothing names v1 any more; acquisition of the detached customers is now unattributed.
    expect(customers.map((c) => [c.customer_id.startsWith("erased:") ? "erased" : c.customer_id, c.acquisition_session_id, c.utm_source, c.revenue])).toEqual([
      ["erased", null, "(none)", 100],
      ["c2", null, "(none)", 40],
      ["visitor:v2", sid(3), "tiktok", 7],
    ]);
  });

  it("erasing an unknown visitor changes nothing", async () => {
    await load();
    expect(await eraseVisitor(db(), "nobody")).toEqual({ sessions: 0, events: 0, orders: 0 });
  });

  it("DELETE /api/utm/visitors/{id} is for signed-in admins only", async () => {
    await load();
    const ingest = (await createApiToken(db(), { name: "x", scopes: ["ingest", "read"] })).token;
    expect((await call(del, "/api/utm/visitors/v1", { method: "DELETE", params: { id: "v1" } })).status).toBe(401);
    const r = await call(del, "/api/utm/visitors/v1", { method: "DELETE", params: { id: "v1" }, headers: { authorization: `Bearer ${ingest}` } });
    expect(r.status).toBe(403);
    const [n] = await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM sessions WHERE visitor_id = 'v1'`);
    expect(n.n).toBe(2);
  });
});
