import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/auth/[...nextauth]/route";
import { safeCallbackUrl } from "@/app/(auth)/sign-in/callback-url";
import { pickLocale } from "@/lib/i18n/pick-locale";
import { resetSignInAttempts, signInAttempt } from "@/lib/auth/rate-limit";
import { clientAddress, normalizeAddress } from "@/lib/http/client-address";
import { overrideConfig, overrideProcessEnv } from "../helpers/config";

// next-auth itself needs a Next request scope; in its place, a stand-in that parses the body with
// next-auth's own getBody and echoes the e-mail it read (so the tests also see what next-auth gets).
vi.mock("next-auth", async () => {
  const { createRequire } = await import("node:module");
  const { getBody } = createRequire(import.meta.url)("../../node_modules/next-auth/next/utils.js") as { getBody: (req: Request) => Promise<Record<string, string> | undefined> };
  return { default: () => async (req: Request) => Response.json({ nextAuthRead: (await getBody(req))?.email ?? null }) };
});

const CREDENTIALS = ["callback", "credentials"];
const ctx = (nextauth: string[]) => ({ params: Promise.resolve({ nextauth }) });

/** A credentials sign-in as the app's server wrapper hands it to Next: x-utmd-peer = socket address. */
const attempt = (email: string, peer: string, extra: Record<string, string> = {}, body?: string) =>
  new Request("http://localhost:3100/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-utmd-peer": peer, ...extra },
    body: body ?? new URLSearchParams({ email, password: "wrong-password", csrfToken: "x", json: "true" }).toString(),
  });
const send = (req: Request) => POST(req, ctx(CREDENTIALS));

describe("sign-in limits (SPEC 10, 16: 10 a minute per e-mail + connecting address, 100 an hour per e-mail)", () => {
  // Each test's overrides, undone last-in first-out after it. UTMD_PEER_HEADER is set by the
  // server wrapper's preload and read outside config(), so it is a process variable here.
  const undo: Array<() => void> = [];
  beforeEach(() => {
    undo.push(overrideProcessEnv({ UTMD_PEER_HEADER: "1" }));
    resetSignInAttempts();
  });
  afterEach(() => {
    while (undo.length) undo.pop()!();
  });

  it("lets 10 attempts through and answers the 11th with 429 JSON and Retry-After", async () => {
    for (let i = 1; i <= 10; i++) expect((await send(attempt("limit@shop.ua", "203.0.113.5"))).status).toBe(200);
    const res = await send(attempt("LIMIT@shop.ua", "203.0.113.5"));
    expect(res.status).toBe(429);
    // All 10 counted attempts are from the last second: the oldest leaves the window in 60 s.
    expect(res.headers.get("retry-after")).toBe("60");
    expect(await res.json()).toEqual({ error: "Too many sign-in attempts. Try again later.", url: "http://localhost:3100/sign-in?error=RateLimited" });
    // Another connecting address, or another e-mail: separate per-minute budgets.
    expect((await send(attempt("limit@shop.ua", "198.51.100.7"))).status).toBe(200);
    const other = await send(attempt("other@shop.ua", "203.0.113.5"));
    expect(await other.json()).toEqual({ nextAuthRead: "other@shop.ua" });
  });

  it("ignores a rotating X-Forwarded-For / X-Real-IP from a peer that is not a trusted proxy", async () => {
    for (let i = 1; i <= 10; i++) {
      const res = await send(attempt("rotate@shop.ua", "203.0.113.20", { "x-forwarded-for": `192.0.2.${i}`, "x-real-ip": `192.0.2.${i}` }));
      expect(res.status).toBe(200);
    }
    const res = await send(attempt("rotate@shop.ua", "203.0.113.20", { "x-forwarded-for": "192.0.2.99", "x-real-ip": "192.0.2.99" }));
    expect(res.status).toBe(429);
  });

  it("believes X-Forwarded-For only from TRUSTED_PROXIES, right to left past trusted hops", () => {
    undo.push(overrideConfig({ TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.1" }));
    const h = (peer: string, xff?: string) => new Headers({ "x-utmd-peer": peer, ...(xff ? { "x-forwarded-for": xff } : {}) });
    expect(clientAddress(h("::ffff:10.1.2.3", "198.51.100.1, 203.0.113.9, 10.0.0.7"))).toBe("203.0.113.9");
    expect(clientAddress(h("192.168.1.1", "203.0.113.9"))).toBe("203.0.113.9");
    // An untrusted peer's header is ignored; a trusted proxy with no header is the client itself.
    expect(clientAddress(h("192.168.1.2", "203.0.113.9"))).toBe("192.168.1.2");
    expect(clientAddress(h("10.0.0.1"))).toBe("10.0.0.1");
    // Without the server wrapper (UTMD_PEER_HEADER unset) a client-sent x-utmd-peer is not believed.
    undo.push(overrideProcessEnv({ UTMD_PEER_HEADER: undefined }));
    expect(clientAddress(h("192.168.1.1", "203.0.113.9"))).toBe("unknown");
    undo.push(overrideConfig({ VERCEL: "1" }));
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.77, 10.0.0.1" }))).toBe("203.0.113.77");
  });

  it("rejects bad TRUSTED_PROXIES at start", () => {
    undo.push(overrideConfig({ TRUSTED_PROXIES: "10.0.0.0/33" }));
    expect(() => clientAddress(new Headers())).toThrow(/TRUSTED_PROXIES/);
  });

  it("caps an e-mail at 100 attempts an hour whatever the address", () => {
    const t0 = Date.parse("2026-03-01T10:00:00Z");
    // 100 attempts, one a second from 100 addresses (never 10 a minute from one).
    for (let i = 0; i < 100; i++) expect(signInAttempt("hour@shop.ua", `198.51.100.${i}`, t0 + i * 1000)).toEqual({ allowed: true });
    // 101st at t0+100 s from a fresh address: the oldest (t0) leaves the hour at t0+3600 s → wait 3500 s.
    expect(signInAttempt("hour@shop.ua", "203.0.113.1", t0 + 100_000)).toEqual({ allowed: false, retryAfter: 3500 });
    expect(signInAttempt("other@shop.ua", "203.0.113.1", t0 + 100_000)).toEqual({ allowed: true });
    // One hour after the first attempt, one slot is free again.
    expect(signInAttempt("hour@shop.ua", "203.0.113.1", t0 + 3_600_000)).toEqual({ allowed: true });
  });

  it("refuses a form with the e-mail field twice (400) and counts JSON as next-auth reads it", async () => {
    const twice = "email=victim%40shop.ua&email=decoy%40shop.ua&password=x&csrfToken=x&json=true";
    const res = await send(attempt("", "203.0.113.30", {}, twice));
    expect(res.status).toBe(400);
    expect((await res.json()).issues).toEqual([{ path: "email", message: "must be given once" }]);
    // JSON: the e-mail next-auth reads (JSON.parse keeps the last duplicate key) is the one counted.
    const json = (email: string) =>
      attempt("", "203.0.113.31", { "content-type": "application/json" }, `{"email":"decoy@shop.ua","email":"${email}","password":"x","csrfToken":"x"}`);
    for (let i = 1; i <= 10; i++) expect(await (await send(json("jvictim@shop.ua"))).json()).toEqual({ nextAuthRead: "jvictim@shop.ua" });
    expect((await send(attempt("JVictim@shop.ua", "203.0.113.31"))).status).toBe(429);
  });

  it("reads at most 8 KB of a sign-in body (413 past it), declared or streamed", async () => {
    const big = "email=a%40b.c&password=" + "x".repeat(9000);
    expect((await send(attempt("", "203.0.113.40", {}, big))).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 100; i++) c.enqueue(new Uint8Array(1024).fill(120));
        c.close();
      },
    });
    const req = new Request("http://localhost:3100/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await POST(req, ctx(["signout"]))).status).toBe(413);
  });

  it("never limits the other next-auth endpoints (sign-out)", async () => {
    for (let i = 1; i <= 12; i++) expect((await POST(attempt("x@shop.ua", "203.0.113.10"), ctx(["signout"]))).status).toBe(200);
  });

  it("normalises addresses", () => {
    expect(normalizeAddress("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("1.2.3.4:5678")).toBe("1.2.3.4");
    expect(normalizeAddress("not-an-ip")).toBeUndefined();
  });
});

describe("sign-in page helpers", () => {
  it("picks the language from the cookie, then Accept-Language, else Ukrainian", () => {
    expect(pickLocale("en", "uk-UA,uk;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "de-DE,en-US;q=0.8,uk;q=0.5")).toBe("en");
    expect(pickLocale(undefined, "uk-UA,uk;q=0.9,en;q=0.8")).toBe("uk");
    expect(pickLocale("fr", "de-DE")).toBe("uk");
    expect(pickLocale(undefined, null)).toBe("uk");
  });

  it("keeps callbackUrl on this site", () => {
    expect(safeCallbackUrl(undefined)).toBe("/dispatcher");
    expect(safeCallbackUrl("/dispatcher?period=week&utm_source=google")).toBe("/dispatcher?period=week&utm_source=google");
    expect(safeCallbackUrl("http://localhost:3100/dispatcher?period=year")).toBe("/dispatcher?period=year");
    expect(safeCallbackUrl("https://evil.example/steal")).toBe("/steal");
    expect(safeCallbackUrl("//evil.example/x")).toBe("/x");
  });
});
