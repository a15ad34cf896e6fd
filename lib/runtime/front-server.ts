import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { assertDeclaredLength, decodeUtf8, tooLarge, type HeaderReader } from "@/lib/http/body";
import { collectAnswer, collectPreflight } from "@/lib/http/collect";
import { errorAnswer, type Answer } from "@/lib/http/errors";
import { isAllowedMethod, methodNotAllowedAnswer } from "@/lib/http/methods";

/**
 * The public server of `npm start` (run-app.ts): one node:http server on PORT in the process that
 * prepared the database. `POST` and `OPTIONS /api/collect` are answered here, by the very
 * functions the Next.js route uses (lib/http/collect.ts: validation, CORS, 16 KB limit, drop
 * headers, counters, group commit), without Next's routing and proxy.ts (~5–6 ms of CPU per hit).
 * A POST hands collectAnswer the node:http request's headers and body directly (RequestHeaders,
 * readCappedText), without building a web Request and Response (~50 µs of CPU per hit of the
 * ~250 µs this process spent on one). Everything else is proxied, bodies streamed both ways over
 * keep-alive connections, to the Next.js child listening on 127.0.0.1:<internal port>.
 *
 * Headers given to both: `x-forwarded-host/-port/-proto/-for` filled in when the client sent none
 * (exactly what Next.js itself does for a direct connection, so geo and redirects see the same
 * values), and `x-utmd-peer` ALWAYS overwritten with the real client socket's address. The child's
 * peer-header.cjs keeps that header only when the request also carries `x-utmd-front` with the
 * secret this process gave the child (UTMD_FRONT_SECRET); anything else reaching the internal port
 * (another local process) is stamped with its own socket address as before.
 */

export const COLLECT_PATH = "/api/collect";
export const PEER_HEADER = "x-utmd-peer";
export const FRONT_HEADER = "x-utmd-front";

/** Request headers that belong to one connection, never forwarded (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

export type Upstream = {
  host: string;
  port: number;
  /** Shared secret that makes the child believe x-utmd-peer. */
  secret: string;
  /** Resolves once the child accepts connections; requests other than collect wait for it. */
  ready?: Promise<void>;
};

export type FrontOptions = {
  /** The public port, for x-forwarded-port. */
  port: number;
  upstream?: Upstream;
};

/** The x-forwarded-* and peer values for a request, as Next.js would set them on a direct connection. */
function forwardedHeaders(req: IncomingMessage, port: number): Record<string, string> {
  const peer = req.socket.remoteAddress ?? "";
  const out: Record<string, string> = { [PEER_HEADER]: peer };
  const h = req.headers;
  if (h["x-forwarded-host"] === undefined && h.host !== undefined) out["x-forwarded-host"] = h.host;
  if (h["x-forwarded-port"] === undefined) out["x-forwarded-port"] = String(port);
  if (h["x-forwarded-proto"] === undefined) out["x-forwarded-proto"] = "http";
  if (h["x-forwarded-for"] === undefined && peer) out["x-forwarded-for"] = peer;
  return out;
}

/**
 * The request's headers as the collect code reads them: every value of a name joined with ", "
 * (as a web Headers built from the raw headers would, duplicates included), the client's own
 * x-utmd-peer / x-utmd-front dropped, and the forwarded values of forwardedHeaders set.
 */
export class RequestHeaders implements HeaderReader {
  private readonly map = new Map<string, string>();

  constructor(req: IncomingMessage, port: number) {
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (name === PEER_HEADER || name === FRONT_HEADER) continue;
      const had = this.map.get(name);
      this.map.set(name, had === undefined ? raw[i + 1] : `${had}, ${raw[i + 1]}`);
    }
    for (const [k, v] of Object.entries(forwardedHeaders(req, port))) this.map.set(k, v);
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  pairs(): [string, string][] {
    return [...this.map];
  }
}

/**
 * The body's text, with readBodyText's cap (lib/http/body.ts): Content-Length first, then the
 * bytes as they arrive. Past the cap it stops keeping them but lets the rest drain instead of
 * destroying the socket, so the client still gets its 413.
 */
function readCappedText(req: IncomingMessage, headers: HeaderReader, maxBytes: number, state: { cancelled: boolean }): Promise<string> {
  assertDeclaredLength(headers, maxBytes);
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (c: Buffer) => {
      total += c.length;
      if (total <= maxBytes) {
        chunks.push(c);
        return;
      }
      state.cancelled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.resume();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => resolve(decodeUtf8(Buffer.concat(chunks, total)));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

/** A web Request with the same headers the Next route would see (the preflight's door). */
export function toWebRequest(req: IncomingMessage, port: number): Request {
  return new Request(`http://localhost${req.url ?? "/"}`, { method: (req.method ?? "GET").toUpperCase(), headers: new RequestHeaders(req, port).pairs() });
}

function send(res: ServerResponse, answer: Answer, drainedEarly: boolean): void {
  res.statusCode = answer.status;
  answer.headers.forEach((value, name) => res.setHeader(name, value));
  // A body we stopped reading (over 16 KB) may still be arriving: do not keep that connection.
  if (drainedEarly) res.setHeader("connection", "close");
  res.end(answer.body);
}

/** POST/OPTIONS /api/collect, answered in this process (a path with a query string included). */
export async function handleCollect(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
  const state = { cancelled: false };
  let answer: Answer;
  try {
    if (req.method === "OPTIONS") {
      const web = await collectPreflight(toWebRequest(req, port));
      answer = { status: web.status, headers: web.headers, body: await web.text() };
    } else {
      const headers = new RequestHeaders(req, port);
      answer = await collectAnswer({ headers, readText: (maxBytes) => readCappedText(req, headers, maxBytes, state) });
    }
  } catch (err) {
    answer = errorAnswer(err);
  }
  send(res, answer, state.cancelled || !req.complete);
}

export function isCollect(req: IncomingMessage): boolean {
  if (req.method !== "POST" && req.method !== "OPTIONS") return false;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return (q < 0 ? url : url.slice(0, q)) === COLLECT_PATH;
}

function proxy(req: IncomingMessage, res: ServerResponse, opts: FrontOptions, agent: http.Agent): void {
  const up = opts.upstream;
  if (!up) {
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
    return;
  }
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || k === PEER_HEADER || k === FRONT_HEADER) continue;
    headers[k] = v;
  }
  Object.assign(headers, forwardedHeaders(req, opts.port), { [FRONT_HEADER]: up.secret });
  // A kept-alive connection the child closes just as it is reused fails before any answer: a
  // request without a body (GET, HEAD) is then sent once more on a new connection, the retry
  // Node's documentation gives for `reusedSocket` (seen as a 503 for /icon.svg in the e2e run).
  const bodyless =
    (req.method === "GET" || req.method === "HEAD") && req.headers["transfer-encoding"] === undefined && (req.headers["content-length"] ?? "0") === "0";
  let current: http.ClientRequest | null = null;
  // The client went away before the answer was complete: stop the work behind it.
  res.on("close", () => {
    if (!res.writableFinished) current?.destroy();
  });
  const forward = (retry: boolean) => {
    const upstream = http.request({ host: up.host, port: up.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    current = upstream;
    upstream.on("error", () => {
      if (retry && bodyless && upstream.reusedSocket && !res.headersSent && !res.destroyed) forward(false);
      else if (!res.headersSent) {
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "5", "cache-control": "no-store" });
        res.end("The app is not answering; try again shortly");
      } else res.destroy();
    });
    if (bodyless) {
      req.resume();
      upstream.end();
    }
    else req.pipe(upstream);
  };
  if (up.ready) up.ready.then(() => forward(true), () => forward(true));
  else forward(true);
}

/** The public server: collect here, the rest to the Next.js child. Call listen() on it. */
export function createFrontServer(opts: FrontOptions): http.Server {
  // Idle connections are closed after 30 s, well before the child's own 65 s (run-app.ts). No cap on
  // sockets to the child: a request holds one for as long as its client sends the body, so with a
  // cap (256) 300 slow uploaders queued every other request, sign-in included, behind them (SPEC 21).
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000, timeout: 30_000 });
  const server = http.createServer((req, res) => {
    if (!isAllowedMethod(req.method)) {
      const a = methodNotAllowedAnswer((req.url ?? "/").split("?")[0], req.method ?? "");
      req.resume();
      res.writeHead(a.status, a.headers).end(a.body);
      return;
    }
    if (isCollect(req)) {
      handleCollect(req, res, opts.port).catch(() => res.destroy());
      return;
    }
    proxy(req, res, opts, agent);
  });
  // Next's own server answers slow keep-alive clients this long; nginx-style defaults otherwise.
  server.keepAliveTimeout = 5_000;
  // A client gets 10 s for its headers and 60 s for its whole request (a 20 MB batch on a slow
  // line fits), then 408: a slow client cannot hold a connection to the child for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.on("close", () => agent.destroy());
  return server;
}
