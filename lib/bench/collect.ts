import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";
import { percentile } from "./percentiles";

/**
 * Sustained `POST /api/collect` through its route handler (SPEC 9: ≥ 3,000 events/s, p99 < 100 ms,
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

export async function benchCollect(db: Db, opts: { concurrency: number; seconds: number }): Promise<CollectResult> {
  const { POST } = (await import("@/app/api/collect/route")) as { POST: Handler };
  // A prefix of its own per run, so a rerun on a kept database counts only its own events.
  const visitorPrefix = `bench-collect-${randomBytes(4).toString("hex")}-`;
  const latencies: number[] = [];
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;

  async function client(worker: number): Promise<void> {
    for (let visit = 0; performance.now() < deadline; visit++) {
      const sessionId = randomUUID();
      const visitorId = `${visitorPrefix}${worker}-${visit}`;
      for (let step = 0; step < STEPS.length && performance.now() < deadline; step++) {
        const url =
          step === 0
            ? `https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=bench&utm_content=v${visit % 3}`
            : `https://shop.example/product/${(visit * 7 + step) % 50}`;
        const body = JSON.stringify({
          event_id: randomUUID(),
          visitor_id: visitorId,
          session_id: sessionId,
          type: STEPS[step],
          url,
          referrer: step === 0 ? "https://www.google.com/" : "https://shop.example/",
          properties: step === 3 ? { sku: `SKU-${visit % 50}`, price: 499 } : undefined,
        });
        const req = new Request("http://bench.local/api/collect", {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": UA, "cf-ipcountry": "UA", origin: "https://shop.example" },
          body,
        });
        const s = performance.now();
        sent++;
        const res = await POST(req, { params: Promise.resolve({}) });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        if (res.status === 202) accepted++;
        else failed++;
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => client(w)));
  const seconds = (performance.now() - t0) / 1000;
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from events e join sessions s on s.id = e.session_id where s.visitor_id like ${visitorPrefix + "%"}`,
  );
  const stored = r?.n ?? 0;
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
