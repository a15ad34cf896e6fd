import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { findApiToken } from "@/lib/auth/api-tokens";
import { findUserByEmail } from "@/lib/auth/users";
import { rows } from "@/lib/db/client";
import { errorLine } from "@/cli/context";
import { runTokenCreate } from "@/cli/commands/token";
import { runUserCreate } from "@/cli/commands/user";
import { importFile } from "@/cli/import/import-file";
import { ingestChunk } from "@/cli/import/records";
import { describeDb } from "../helpers/db";

const dir = mkdtempSync(path.join(tmpdir(), "utmd-cli-"));
const fixture = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Runs a command function and returns what it printed, or the one error line it failed with. */
async function run(fn: (out: (l: string) => void) => Promise<void>): Promise<{ lines: string[]; error?: string }> {
  const lines: string[] = [];
  try {
    await fn((l) => lines.push(l));
    return { lines };
  } catch (err) {
    return { lines, error: errorLine(err) };
  }
}

const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";

describeDb("cli commands", (ctx) => {
  it("user create adds a user with the role, and refuses a duplicate or a bad role in one line", async () => {
    const db = ctx.handle.db;
    const ok = await run((out) => runUserCreate(db, { email: "Ana@Shop.UA", password: "secret-pass", role: "admin" }, out));
    expect(ok).toEqual({ lines: ["Created admin ana@shop.ua (id 1)."] });
    expect((await findUserByEmail(db, "ana@shop.ua"))?.role).toBe("admin");

    const dup = await run((out) => runUserCreate(db, { email: "ana@shop.ua", password: "secret-pass", role: "viewer" }, out));
    expect(dup.error).toMatch(/^Already exists/);
    const badRole = await run((out) => runUserCreate(db, { email: "b@shop.ua", password: "secret-pass", role: "owner" }, out));
    expect(badRole.error).toBe("--role must be one of admin, viewer");
    const badPass = await run((out) => runUserCreate(db, { email: "b@shop.ua", password: "short", role: "viewer" }, out));
    expect(badPass.error).toBe("Invalid input: password: must be at least 8 characters");
  });

  it("token create prints the token alone on the last line, and it works with its scopes", async () => {
    const db = ctx.handle.db;
    const res = await run((out) => runTokenCreate(db, { name: "shop-backend", scopes: "read, ingest" }, out));
    expect(res.error).toBeUndefined();
    const token = res.lines[res.lines.length - 1];
    expect(token).toMatch(/^utmd_[A-Za-z0-9_-]{43}$/);
    const found = await findApiToken(db, token);
    expect(found).toEqual({ id: 1, name: "shop-backend", scopes: ["read", "ingest"] });

    const bad = await run((out) => runTokenCreate(db, { name: "x", scopes: "write" }, out));
    expect(bad.error).toBe("--scopes must be a comma-separated list of read, ingest (unknown: write)");
  });

  it("imports a JSON batch body and a JSON array of orders", async () => {
    const db = ctx.handle.db;
    const batch = fixture(
      "batch.json",
      JSON.stringify({
        sessions: [
          { id: S1, visitor_id: "v1", started_at: "2026-03-01T10:00:00Z", landing_url: "https://shop.ua/?utm_source=Google&utm_medium=cpc" },
          { id: S2, visitor_id: "v1", started_at: "2026-03-02T10:00:00Z" },
        ],
        events: [
          { id: "33333333-3333-4333-8333-333333333331", session_id: S1, type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
          { id: "33333333-3333-4333-8333-333333333332", session_id: S1, type: "add_to_cart", occurred_at: "2026-03-01T10:02:00Z" },
          { id: "33333333-3333-4333-8333-333333333333", session_id: S2, type: "page_view", occurred_at: "2026-03-02T10:00:00Z" },
        ],
        orders: [{ order_id: "A-1", visitor_id: "v1", total: 1200, placed_at: "2026-03-02T10:05:00Z" }],
      }),
    );
    expect(await importFile(db, batch)).toEqual({ kind: "batch", sessions: 2, events: 3, orders: 1, adSpend: 0 });
    const ordersFile = fixture("orders.json", JSON.stringify([{ order_id: "A-2", visitor_id: "v1", total: 300.5, status: "refunded", placed_at: "2026-03-03T09:00:00Z" }]));
    expect(await importFile(db, ordersFile)).toEqual({ kind: "batch", sessions: 0, events: 0, orders: 1, adSpend: 0 });

    const got = await rows<{ order_id: string; session_id: string | null; total: number; status: string }>(
      db,
      sql`select order_id::text, session_id::text, total::float8, status::text from orders order by order_id`,
    );
    // A-1: v1's latest non-direct session before 2026-03-02T10:05 is S1 (google), not the direct S2.
    expect(got).toEqual([
      { order_id: "A-1", session_id: S1, total: 1200, status: "paid" },
      { order_id: "A-2", session_id: S1, total: 300.5, status: "refunded" },
    ]);
  });

  it("imports CSV files of sessions, events and orders, recognised by their header", async () => {
    const db = ctx.handle.db;
    const sessionsCsv = fixture(
      "sessions.csv",
      "\uFEFFid,visitor_id,started_at,utm_source,utm_campaign,country\n" +
        `${S1},v9,2026-04-01T08:00:00Z,Facebook,spring_sale,ua\n` +
        `${S2},v9,2026-04-03T08:00:00+03:00,,,\n`,
    );
    expect(await importFile(db, sessionsCsv)).toEqual({ kind: "sessions", sessions: 2, events: 0, orders: 0, adSpend: 0 });
    const eventsCsv = fixture(
      "events.csv",
      "id,session_id,type,occurred_at,path,properties\n" +
        `44444444-4444-4444-8444-444444444441,${S1},product_view,2026-04-01T08:01:00Z,/p/1,"{""product_id"":""p1""}"\n`,
    );
    expect(await importFile(db, eventsCsv)).toEqual({ kind: "events", sessions: 0, events: 1, orders: 0, adSpend: 0 });
    const ordersCsv = fixture(
      "orders.csv",
      "order_id,customer_id,visitor_id,total,status,placed_at,items\n" +
        "B-1,c1,v9,1000.25,paid,2026-04-01T09:00:00Z,2\n" +
        "B-2,c1,v9,499.75,paid,2026-04-10T09:00:00Z,\n" +
        "B-3,c2,,250,cancelled,2026-04-10T09:00:00Z,1\n",
    );
    expect(await importFile(db, ordersCsv)).toEqual({ kind: "orders", sessions: 0, events: 0, orders: 3, adSpend: 0 });

    const [s] = await rows<{ src: string; country: string; steps: number; paid: number; revenue: number; repeat: number }>(
      db,
      sql`select (select utm_source::text from sessions where id = ${S1}) as src,
                 (select country::text from sessions where id = ${S1}) as country,
                 (select funnel_step::int from sessions where id = ${S1}) as steps,
                 (select count(*)::int from orders where status = 'paid') as paid,
                 (select sum(total)::float8 from orders where status = 'paid') as revenue,
                 (select paid_orders::int from customers where customer_id = 'c1') as repeat`,
    );
    // Paid revenue = 1000.25 + 499.75 = 1500; c1 has 2 paid orders; source lower-cased (3.1).
    expect(s).toEqual({ src: "facebook", country: "UA", steps: 1, paid: 2, revenue: 1500, repeat: 2 });
  });

  it("imports an ad-spend CSV (date, utm_source, utm_campaign, amount); a repeated key replaces its amount", async () => {
    const db = ctx.handle.db;
    const file = fixture(
      "spend.csv",
      "date,utm_source,utm_campaign,amount\n2026-04-01,Google,brand_search,100.50\n2026-04-01,facebook,spring_sale,80\n2026-04-01,google,brand_search,120\n",
    );
    // 2 keys: google/brand_search (added once, its later row wins) and facebook/spring_sale.
    expect(await importFile(db, file)).toMatchObject({ kind: "ad spend", sessions: 0, events: 0, orders: 0, adSpend: 2, costs: { format: "generic", added: 2, replaced: 0, rows: 2, total: 200 } });
    const got = await rows<{ utm_source: string; amount: number }>(db, sql`select utm_source::text, amount::float8 from ad_spend order by 1`);
    // google/brand_search appears twice: the later 120 replaces 100.50 (source lower-cased to match).
    expect(got).toEqual([
      { utm_source: "facebook", amount: 80 },
      { utm_source: "google", amount: 120 },
    ]);
  });

  it("reports a bad file in one clear line and stores nothing from a bad chunk", async () => {
    const db = ctx.handle.db;
    const fail = async (file: string) => run(() => importFile(db, file).then(() => undefined));
    expect((await fail(path.join(dir, "missing.csv"))).error).toBe(`${path.join(dir, "missing.csv")}: no such file`);
    expect((await fail(fixture("data.xml", "<x/>"))).error).toMatch(/data\.xml: expected a \.csv or \.json file$/);
    expect((await fail(fixture("broken.json", "{ not json"))).error).toMatch(/broken\.json is not valid JSON/);
    expect((await fail(fixture("odd.csv", "foo,bar\n1,2\n"))).error).toMatch(/odd\.csv: unknown CSV header \(foo, bar\)\. Expected one of: /);
    const badOrders = fixture("bad-orders.csv", "order_id,total,placed_at\nC-1,12,2026-04-01T09:00:00Z\nC-2,-5,yesterday\n");
    const bad = await fail(badOrders);
    expect(bad.error).toMatch(/^Invalid batch: nothing was stored: orders\[1\]\.total: .+; orders\[1\]\.placed_at: /);
    const [n] = await rows<{ n: number }>(db, sql`select count(*)::int as n from orders`);
    expect(n.n).toBe(0);
  });

  it("names a failing record by its index in the whole file, not in its chunk", async () => {
    const db = ctx.handle.db;
    const err = await ingestChunk(db, "orders", [{ order_id: "D-1", total: 5 }, { order_id: "D-2", total: "x" }], 5_000).catch((e: unknown) => e);
    expect(errorLine(err)).toMatch(/^Invalid batch: nothing was stored \(this chunk from orders\[5000\]; earlier chunks were stored, re-running is safe\): orders\[5001\]\.total: /);
  });
});
