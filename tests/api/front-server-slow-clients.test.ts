import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it, describe } from "vitest";
import { createFrontServer } from "@/lib/runtime/front-server";

/**
 * SPEC 21: 300 slow clients on proxied routes (each sending a body that never ends) do not stop
 * sign-in or the API behind npm start's front server. With the former cap of 256 sockets to the
 * child, the 257th request waited for a slow one to finish, and so did every GET after it.
 */
describe("front server under slow clients", () => {
  let app: http.Server;
  let front: http.Server;
  let port = 0;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    // Stands in for the Next.js child: answers GETs at once, reads POST bodies as they come.
    app = http.createServer((req, res) => {
      if (req.method === "GET") return void res.end("ok " + req.url);
      req.on("data", () => {});
      req.on("end", () => res.end("done"));
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", () => r()));
    front = createFrontServer({ port: 0, upstream: { host: "127.0.0.1", port: (app.address() as AddressInfo).port, secret: "s" } });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", () => r()));
    port = (front.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    front.closeAllConnections();
    app.closeAllConnections();
    await new Promise((r) => front.close(r));
    await new Promise((r) => app.close(r));
  });

  it("300 uploads that never finish leave GET /sign-in and the API answering at once", async () => {
    for (let i = 0; i < 300; i++) {
      const s = net.connect(port, "127.0.0.1");
      s.on("error", () => {});
      s.write(`POST /api/ingest/batch HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"sessions":[`);
      sockets.push(s);
    }
    // Let every slow request reach the child.
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    const [signIn, api] = await Promise.all([
      fetch(`http://127.0.0.1:${port}/sign-in`, { signal: AbortSignal.timeout(5_000) }),
      fetch(`http://127.0.0.1:${port}/api/utm/general-stats`, { signal: AbortSignal.timeout(5_000) }),
    ]);
    expect([await signIn.text(), await api.text()]).toEqual(["ok /sign-in", "ok /api/utm/general-stats"]);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("gives a client 10 s for its headers and 60 s for the whole request", () => {
    expect([front.headersTimeout, front.requestTimeout]).toEqual([10_000, 60_000]);
  });
});
