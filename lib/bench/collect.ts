import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { percentile } from "./percentiles";

/**
 * Sustained `POST /api/collect` through its route handler, or over HTTP against a started server (`url`) (SPEC 9: ≥ 3,000 events/s, p99 < 100 ms,
 * 0 lost): `concurrency` clients each play visits of four events (landing page_view with UTM tags,
 * product_view, page_view, add_to_cart) back to back for `seconds`; every event is distinct. Lost
 * = events answered 202 that are not in the database afterwards.
 */

export type CollectResult = {
  sent: number;
  accepted: number;
  failed: number;
  stored: number;
  lost: number;
  seconds: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
};

type Handler = (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;

const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const STEPS = ["page_view", "product_view", "page_view", "add_to_cart"] as const;

export type CollectBenchOptions = {
  concurrency: number;
  seconds: number;
  /** A started server's collect URL (http://127.0.0.1:PORT/api/collect): over HTTP, not in process. */
  url?: string;
  /** How many of the clients send NUL-poisoned hits (`%00` in the URL's path and utm tags, NUL in the referrer). */
  poisoned?: number;
};

export async function benchCollect(db: Db, opts: CollectBenchOptions): Promise<CollectResult> {
  const { POST } = opts.url ? { POST: undefined } : ((await import("@/app/api/collect/route")) as { POST: Handler });
  const url = opts.url ? new URL(opts.url) : undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const send = async (body: string): Promise<number> => {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": UA, "cf-ipcountry": "UA", origin: "https://shop.example" },
      body,
    };
    if (url) {
      // node:http with one keep-alive connection per client: fetch (undici) would spend about as
      // much CPU per request as the server does, on the same 2 cores.
      return new Promise<number>((resolve, reject) => {
        const req = http.request(url, { method: "POST", agent, headers: { ...init.headers, "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      });
    }
    const res = await POST!(new Request("http://bench.local/api/collect", init), { params: Promise.resolve({}) });
    await res.arrayBuffer();
    return res.status;
  };
  // A prefix of its own per run, so a rerun on a kept database counts only its own events.
  const visitorPrefix = `bench-collect-${randomBytes(4).toString("hex")}-`;
  const latencies: number[] = [];
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;

  async function client(worker: number): Promise<void> {
    const poison = worker < (opts.poisoned ?? 0) ? "%00" : "";
    for (let visit = 0; performance.now() < deadline; visit++) {
      const sessionId = randomUUID();
      const visitorId = `${visitorPrefix}${worker}-${visit}`;
      for (let step = 0; step < STEPS.length && performance.now() < deadline; step++) {
        const url =
          step === 0
            ? `https://shop.example/${poison}?utm_source=google${poison}&utm_medium=cpc&utm_campaign=bench${poison}&utm_content=v${visit % 3}`
            : `https://shop.example/product${poison}/${(visit * 7 + step) % 50}`;
        const body = JSON.stringify({
          event_id: randomUUID(),
          visitor_id: visitorId,
          session_id: sessionId,
          type: STEPS[step],
          url,
          referrer: (step === 0 ? "https://www.google.com/" : "https://shop.example/") + (poison ? "?q=\u0000" : ""),
          properties: step === 3 ? { sku: `SKU-${visit % 50}`, price: 499 } : undefined,
        });
        const s = performance.now();
        sent++;
        const status = await send(body).catch(() => 0);
        latencies.push(performance.now() - s);
        if (status === 202) accepted++;
        else failed++;
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => client(w)));
  agent.destroy();
  const seconds = (performance.now() - t0) / 1000;
  const count = async () => {
    const [r] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from events e join sessions s on s.id = e.session_id where s.visitor_id like ${visitorPrefix + "%"}`,
    );
    return r?.n ?? 0;
  };
  // A 202 may precede the write by a queue flush (lib/ingest/collect-queue.ts), in another process
  // over HTTP: count until everything accepted is there, or nothing more arrives for 2 s.
  let stored = await count();
  for (let quiet = 0; stored < accepted && quiet < 8; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await count();
    quiet = now > stored ? 0 : quiet + 1;
    stored = now;
  }
  return {
    sent,
    accepted,
    failed,
    stored,
    lost: Math.max(0, accepted - stored),
    seconds,
    eventsPerSecond: accepted / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
