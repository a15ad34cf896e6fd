import { afterAll, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { POST } from "@/app/api/collect/route";
import { openDb, setDbHandle, type DbHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { servePglite, type PgliteServer } from "@/lib/runtime/pglite-server";
import { call, eid, sid, type Handler } from "../helpers/ingest";

/**
 * SPEC 10: the database going away is a 503 with Retry-After, and the app serves again once it is
 * back, without a restart. The app reaches an embedded database over the wire protocol (as
 * `npm run dev` does); stopping that server is the outage, serving it again on the same port the
 * recovery.
 */

const handles: DbHandle[] = [];
let server: PgliteServer | undefined;
afterAll(async () => {
  setDbHandle(undefined);
  await server?.stop();
  for (const h of handles.reverse()) await h.close();
});

const event = (n: number) => ({
  event_id: eid(n),
  visitor_id: "v-recovery",
  session_id: sid(1),
  type: "page_view",
  url: `https://shop.example.com/p${n}?utm_source=google`,
});

it("answers 503 while the database is unreachable and stores again once it is back", async () => {
  const embedded = await openDb({ kind: "pglite" });
  handles.push(embedded);
  await migrate(embedded);
  const pglite = (embedded.db as unknown as { $client: PGlite }).$client;
  server = await servePglite(pglite);
  const port = server.port;
  const app = await openDb({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 2 });
  handles.push(app);
  setDbHandle(app);
  const collect = POST as unknown as Handler;

  expect((await call(collect, "/api/collect", { body: event(1) })).status).toBe(202);

  await server.stop();
  server = undefined;
  const t0 = Date.now();
  const down = await call(collect, "/api/collect", { body: event(2) });
  expect(down.status).toBe(503);
  expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Date.now() - t0).toBeLessThan(5000);

  server = await servePglite(pglite, { port });
  // The tracker retries what got a 503; the same event is now stored.
  expect((await call(collect, "/api/collect", { body: event(2) })).status).toBe(202);
  expect((await call(collect, "/api/collect", { body: event(3) })).status).toBe(202);

  // Events 1, 2 and 3 of one session, each once: 3 rows, and the session counts 3 page views.
  const res = await pglite.query<{ events: number; page_views: number }>(
    "select (select count(*)::int from events) as events, (select page_views from sessions where id = $1) as page_views",
    [sid(1)],
  );
  expect(res.rows[0]).toEqual({ events: 3, page_views: 3 });
});
