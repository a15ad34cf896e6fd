"use strict";
/**
 * Preloaded (`node -r`) into the Next.js process by `npm start` / `npm run dev` (run-app.ts).
 * Next.js gives route handlers no socket address and keeps a client's X-Forwarded-For, so every
 * incoming request gets `x-utmd-peer` overwritten with the connecting socket's address before
 * Next.js sees it (a value the client sent is replaced, never believed). UTMD_PEER_HEADER=1 tells
 * lib/http/client-address.ts that the header is this wrapper's.
 */
const http = require("node:http");

const HEADER = "x-utmd-peer";
process.env.UTMD_PEER_HEADER = "1";

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function patchedEmit(event, req, ...rest) {
  if ((event === "request" || event === "upgrade") && req && req.headers) {
    req.headers[HEADER] = (req.socket && req.socket.remoteAddress) || "";
  }
  return emit.call(this, event, req, ...rest);
};
