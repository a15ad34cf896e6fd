import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { benchCollect } from "@/scripts/bench/collect";
import { describeDb } from "../helpers/db";

type Handler = (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real HTTP server on a free port that hands each request to `handle` (the collect route, or a fake). */
async function serve(handle: (req: Request) => Promise<Response>): Promise<string> {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const out = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
    res.writeHead(out.status, Object.fromEntries(out.headers));
    res.end(Buffer.from(await out.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", () => resolve()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/collect`;
}

describeDb("bench collect over HTTP", (ctx) => {
  it("drives the collect route through a socket and finds every accepted event stored", async () => {
    const { POST } = (await import("@/app/api/collect/route")) as unknown as { POST: Handler };
    const url = await serve((req) => POST(req, { params: Promise.resolve({}) }));
    const r = await benchCollect(ctx.handle.db, { concurrency: 4, seconds: 1, url });
    expect(r.accepted).toBeGreaterThan(0);
    expect(r.failed).toBe(0);
    expect(r.stored).toBe(r.accepted);
    expect(r.lost).toBe(0);
    expect(r.p99).toBeGreaterThanOrEqual(r.p50);
  }, 60_000);

  it("counts as lost what a server answered 202 for but never stored", async () => {
    const url = await serve(async () => new Response(null, { status: 202 }));
    const r = await benchCollect(ctx.handle.db, { concurrency: 2, seconds: 0.5, url });
    expect(r.accepted).toBeGreaterThan(0);
    expect(r.stored).toBe(0);
    expect(r.lost).toBe(r.accepted);
  }, 60_000);
});
