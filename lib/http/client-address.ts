import { BlockList, isIP } from "node:net";
import { config } from "@/lib/config";

/**
 * The address of the client that sent a request (SPEC 16), for sign-in limits.
 *
 * Next.js does not hand the socket address to route handlers, and it keeps whatever
 * X-Forwarded-For the client sent. So the app's own start-up (lib/runtime/peer-header.cjs, loaded
 * into the Next.js process by `npm start` / `npm run dev`) overwrites PEER_HEADER with the socket's
 * address on every request and sets UTMD_PEER_HEADER=1 in that process; a client cannot forge it.
 * X-Forwarded-For / X-Real-IP are believed only when that connecting peer is one of
 * TRUSTED_PROXIES (right to left, skipping trusted hops); on Vercel (VERCEL=1) its
 * x-forwarded-for is the client address, as Vercel documents (it overwrites the header).
 * Without a known peer (e.g. a bare `next start`) the answer is "unknown": limits then fall back
 * to the per-e-mail budget for everyone, never to a header the client chose.
 */

export const PEER_HEADER = "x-utmd-peer";

/** "::ffff:1.2.3.4" → "1.2.3.4"; "[::1]" → "::1"; "1.2.3.4:5678" → "1.2.3.4"; junk → undefined. */
export function normalizeAddress(raw: string | null | undefined): string | undefined {
  let s = (raw ?? "").trim();
  if (!s) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracket) s = bracket[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1];
  return isIP(s) ? s.toLowerCase() : undefined;
}

let cachedList: { key: string; list: BlockList } | undefined;

function trustedList(entries: string[]): BlockList {
  const key = entries.join(",");
  if (cachedList?.key === key) return cachedList.list;
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, prefix] = entry.split("/");
    const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(normalizeAddress(addr) ?? addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  cachedList = { key, list };
  return list;
}

export function isTrustedProxy(address: string, entries: string[] = config().trustedProxies): boolean {
  if (!entries.length) return false;
  const a = normalizeAddress(address);
  if (!a) return false;
  return trustedList(entries).check(a, isIP(a) === 6 ? "ipv6" : "ipv4");
}

/** The socket address the app's server wrapper recorded, when this process runs behind it. */
export function peerAddress(headers: Headers): string | undefined {
  if (process.env.UTMD_PEER_HEADER !== "1") return undefined;
  return normalizeAddress(headers.get(PEER_HEADER));
}

export function clientAddress(headers: Headers): string {
  const cfg = config();
  if (cfg.onVercel) {
    return normalizeAddress(headers.get("x-forwarded-for")?.split(",")[0]) ?? normalizeAddress(headers.get("x-real-ip")) ?? "unknown";
  }
  const peer = peerAddress(headers);
  if (!peer) return "unknown";
  if (!isTrustedProxy(peer, cfg.trustedProxies)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    if (!hop) return peer; // a malformed entry: believe nothing left of it
    if (!isTrustedProxy(hop, cfg.trustedProxies)) return hop;
  }
  return normalizeAddress(headers.get("x-real-ip")) ?? hops.map(normalizeAddress).find(Boolean) ?? peer;
}
