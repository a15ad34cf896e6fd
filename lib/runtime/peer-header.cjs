"use strict";
/**
 * Preloaded (`node -r`) into the Next.js process by `npm start` / `npm run dev` (run-app.ts).
 * Next.js gives route handlers no socket address and keeps a client's X-Forwarded-For, so every
 * incoming request gets `x-utmd-peer` overwritten with the connecting socket's address before
 * Next.js sees it (a value the client sent is replaced, never believed). UTMD_PEER_HEADER=1 tells
 * lib/http/client-address.ts that the header is this wrapper's.
 *
 * Behind the self-hosted front server (`npm start`, front-server.ts) the connecting socket is the
 * front's; it stamps the real client's address itself and proves it with `x-utmd-front` equal to
 * UTMD_FRONT_SECRET (given only to this child). Only then is its x-utmd-peer kept. The proof header
 * is removed either way.
 */
const http = require("node:http");
const { timingSafeEqual } = require("node:crypto");

const HEADER = "x-utmd-peer";
const FRONT = "x-utmd-front";
process.env.UTMD_PEER_HEADER = "1";
const secret = Buffer.from(process.env.UTMD_FRONT_SECRET || "");

function fromFront(value) {
  if (!secret.length || typeof value !== "string") return false;
  const given = Buffer.from(value);
  return given.length === secret.length && timingSafeEqual(given, secret);
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function patchedEmit(event, req, ...rest) {
  if ((event === "request" || event === "upgrade") && req && req.headers) {
    const trusted = fromFront(req.headers[FRONT]) && typeof req.headers[HEADER] === "string";
    delete req.headers[FRONT];
    if (!trusted) req.headers[HEADER] = (req.socket && req.socket.remoteAddress) || "";
  }
  return emit.call(this, event, req, ...rest);
};
