import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createFrontServer } from "@/lib/runtime/front-server";

/**
 * The front server keeps connections to the Next.js child alive. When the child closes one just
 * as the front server reuses it, a request without a body is sent again on a new connection
 * instead of answering 503 (seen in CI as a 503 for /icon.svg); a request with a body is not
 * replayed, since part of it may already have been taken.
 */

let app: http.Server;
let front: http.Server;
let base = "";
/** Every request the child saw, with the number of its connection and its place on it. */
const seen: { method: string; url: string; conn: number; nth: number }[] = [];

beforeAll(async () => {
  const perSocket = new Map<Socket, { conn: number; count: number }>();
  let conns = 0;
  // Stands in for the child: the second request on any connection finds it closed.
  app = http.createServer((req, res) => {
    let s = perSocket.get(req.socket);
    if (!s) perSocket.set(req.socket, (s = { conn: ++conns, count: 0 }));
    s.count += 1;
    seen.push({ method: req.method ?? "", url: req.url ?? "", conn: s.conn, nth: s.count });
    if (s.count >= 2) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${req.url}`));
  });
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
  front = createFrontServer({ port: 0, upstream: { host: "127.0.0.1", port: (app.address() as AddressInfo).port, secret: "s" } });
  await new Promise<void>((r) => front.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  front?.closeAllConnections();
  app?.closeAllConnections();
  await new Promise((r) => (front ? front.close(r) : r(undefined)));
  await new Promise((r) => (app ? app.close(r) : r(undefined)));
});

it("sends a GET again on a new connection when the kept-alive one was closed; never replays a POST", async () => {
  const first = await fetch(`${base}/a`);
  expect([first.status, await first.text()]).toEqual([200, "ok /a"]);
  // Reuses connection 1, which the child closes: retried on connection 2.
  const second = await fetch(`${base}/icon.svg`);
  expect([second.status, await second.text()]).toEqual([200, "ok /icon.svg"]);
  // Reuses connection 2, which the child closes: a body was sent, so 503 rather than a replay.
  const post = await fetch(`${base}/api/form`, { method: "POST", body: "x=1" });
  expect(post.status).toBe(503);
  expect(post.headers.get("retry-after")).toBe("5");
  expect(seen).toEqual([
    { method: "GET", url: "/a", conn: 1, nth: 1 },
    { method: "GET", url: "/icon.svg", conn: 1, nth: 2 },
    { method: "GET", url: "/icon.svg", conn: 2, nth: 1 },
    { method: "POST", url: "/api/form", conn: 2, nth: 2 },
  ]);
});
