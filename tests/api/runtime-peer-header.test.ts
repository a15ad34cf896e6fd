import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { overrideProcessEnv } from "../helpers/config";

/**
 * lib/runtime/peer-header.cjs (preloaded into the Next.js child): x-utmd-peer is the socket's
 * address unless the request proves it comes from the front server (x-utmd-front equal to
 * UTMD_FRONT_SECRET); the proof header never reaches the app. (Own file: the preload patches
 * http.Server for the whole worker.)
 */

let server: http.Server;
let base = "";
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  // Read by the preload itself (it runs before config() exists); it sets UTMD_PEER_HEADER=1, put
  // back with the secret after the file.
  restoreEnv = overrideProcessEnv({ UTMD_FRONT_SECRET: "front-secret-1", UTMD_PEER_HEADER: undefined });
  createRequire(import.meta.url)("../../lib/runtime/peer-header.cjs");
  server = http.createServer((req, res) => {
    res.end(JSON.stringify({ peer: req.headers["x-utmd-peer"], front: req.headers["x-utmd-front"] ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  restoreEnv?.();
});

const seen = async (headers: Record<string, string>) => (await fetch(base, { headers })).json();

it("keeps x-utmd-peer only with the front's secret, and always drops the proof header", async () => {
  expect(process.env.UTMD_PEER_HEADER).toBe("1");
  expect(await seen({ "x-utmd-peer": "9.9.9.9" })).toEqual({ peer: "127.0.0.1", front: null });
  expect(await seen({ "x-utmd-peer": "9.9.9.9", "x-utmd-front": "front-secret-2" })).toEqual({ peer: "127.0.0.1", front: null });
  expect(await seen({ "x-utmd-peer": "9.9.9.9", "x-utmd-front": "front-secret-1" })).toEqual({ peer: "9.9.9.9", front: null });
  // The proof without a peer header: the socket's address, never an empty or missing peer.
  expect(await seen({ "x-utmd-front": "front-secret-1" })).toEqual({ peer: "127.0.0.1", front: null });
});
