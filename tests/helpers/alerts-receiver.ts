import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Slack, Telegram and a webhook receiver (the real ones are unreachable in
 * tests): it records every request as received (raw body, headers) and answers as the test says:
 * like the platform documents (`ok` | Telegram's `{"ok":true,...}`), 500, or never (hang).
 */

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type Mode = "ok" | "500" | "hang";

export type Receiver = { url: string; received: Received[]; mode: Mode; close: () => Promise<void> };

export async function startReceiver(): Promise<Receiver> {
  const state: Receiver = { url: "", received: [], mode: "ok", close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (state.mode === "hang") return;
      if (state.mode === "500") return void res.writeHead(500, { "content-type": "text/plain" }).end("internal_error");
      if ((req.url ?? "").endsWith("/sendMessage")) {
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: { message_id: state.received.length } }));
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
