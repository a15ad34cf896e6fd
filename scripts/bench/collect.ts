import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
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
  /**
   * Over HTTP: `raw` (default) writes each request's bytes on the client's own keep-alive socket
   * and reads the status line and body length (RawClients); `node-http` goes through node:http's
   * client, which on these 2 cores spent ~250 µs of CPU per event, about as much as the server.
   */
  client?: "raw" | "node-http";
  /** How many of the clients send NUL-poisoned hits (`%00` in the URL's path and utm tags, NUL in the referrer). */
  poisoned?: number;
};

export async function benchCollect(db: Db, opts: CollectBenchOptions): Promise<CollectResult> {
  const { POST } = opts.url ? { POST: undefined } : ((await import("@/app/api/collect/route")) as { POST: Handler });
  const url = opts.url ? new URL(opts.url) : undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const raw = url && opts.client !== "node-http" ? new RawClients(url) : undefined;
  const send = async (body: string, worker: number): Promise<number> => {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": UA, "cf-ipcountry": "UA", origin: "https://shop.example" },
      body,
    };
    if (raw) return raw.post(worker, body);
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
        const status = await send(body, worker).catch(() => 0);
        latencies.push(performance.now() - s);
        if (status === 202) accepted++;
        else failed++;
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, (_, w) => client(w)));
  agent.destroy();
  raw?.close();
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

/**
 * One keep-alive HTTP/1.1 connection per client, one request at a time on it, as a browser's
 * beacon would: the request is written as bytes, the answer read up to its status and length
 * (Content-Length or chunked), nothing else parsed. A closed or broken connection is opened again
 * for the next request; the request it held counts as failed (status 0).
 */
class RawClients {
  private readonly sockets = new Map<number, RawConnection>();
  private readonly head: string;

  constructor(private readonly url: URL) {
    this.head =
      `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nuser-agent: ${UA}\r\n` +
      `cf-ipcountry: UA\r\norigin: https://shop.example\r\nconnection: keep-alive\r\ncontent-length: `;
  }

  post(worker: number, body: string): Promise<number> {
    let c = this.sockets.get(worker);
    if (!c || c.closed) this.sockets.set(worker, (c = new RawConnection(this.url)));
    return c.request(`${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  close(): void {
    for (const c of this.sockets.values()) c.destroy();
  }
}

class RawConnection {
  closed = false;
  private readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private pending: { resolve: (status: number) => void } | undefined;

  constructor(url: URL) {
    this.socket = net.connect({ host: url.hostname, port: Number(url.port || 80) });
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Buffer) => {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.parse();
    });
    const fail = () => {
      this.closed = true;
      this.pending?.resolve(0);
      this.pending = undefined;
    };
    this.socket.on("error", fail);
    this.socket.on("close", fail);
  }

  request(bytes: string): Promise<number> {
    return new Promise<number>((resolve) => {
      this.pending = { resolve };
      this.socket.write(bytes);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Completes the pending request once its whole answer is in the buffer. */
  private parse(): void {
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0 || !this.pending) return;
    const head = this.buf.subarray(0, end).toString("latin1");
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let total: number;
    if (length) total = end + 4 + Number(length[1]);
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const last = this.buf.indexOf("\r\n0\r\n\r\n", end + 2);
      if (last < 0) return;
      total = last + 7;
    } else total = end + 4;
    if (this.buf.length < total) return;
    this.buf = this.buf.subarray(total);
    if (/\r\nconnection:\s*close/i.test(head)) this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    p.resolve(status);
  }
}
