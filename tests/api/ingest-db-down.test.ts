import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/collect/route";
import { POST as ORDERS } from "@/app/api/ingest/orders/route";
import { openDb, setDbHandle, type DbHandle } from "@/lib/db/client";
import { call, eid, sid, type Handler } from "../helpers/ingest";

/** SPEC 2.2/10: with the database unreachable, ingestion answers 503 + Retry-After within 5 s. */

let handle: DbHandle;
beforeAll(async () => {
  // Port 1: nothing listens there, so every connection attempt is refused.
  handle = await openDb({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/x" });
  setDbHandle(handle);
});
afterAll(async () => {
  setDbHandle(undefined);
  await handle.close();
});

const event = {
  event_id: eid(1),
  visitor_id: "v1",
  session_id: sid(1),
  type: "page_view",
  url: "https://shop.example.com/",
};

it("POST /api/collect answers 503 with Retry-After in under 5 s", async () => {
  const t0 = Date.now();
  const r = await call(POST as unknown as Handler, "/api/collect", { body: event });
  const elapsed = Date.now() - t0;
  expect(r.status).toBe(503);
  expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(r.headers.get("access-control-allow-origin")).toBe("*");
  expect(elapsed).toBeLessThan(5000);
});

it("POST /api/ingest/orders answers 503 too (token lookup cannot reach the database)", async () => {
  const t0 = Date.now();
  const r = await call(ORDERS as unknown as Handler, "/api/ingest/orders", {
    body: { order_id: "o1", total: 1 },
    headers: { authorization: "Bearer utmd_whatever" },
  });
  expect(r.status).toBe(503);
  expect(r.headers.get("retry-after")).not.toBeNull();
  expect(Date.now() - t0).toBeLessThan(5000);
});

it("bad input is still a 400 while the database is down", async () => {
  const r = await call(POST as unknown as Handler, "/api/collect", { body: { ...event, type: "nope" } });
  expect(r.status).toBe(400);
});
