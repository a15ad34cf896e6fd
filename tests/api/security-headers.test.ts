import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { contentSecurityPolicy, hasInvalidPercentEncoding, securityHeaders } from "@/lib/http/security-headers";
import { proxy } from "@/proxy";

const base = { nonce: "bm9uY2U=", appUrl: "http://localhost:3000", shareFrameAncestors: "'none'" };

describe("security headers (SPEC 16)", () => {
  it("a page: CSP with the nonce, scripts only from the app, no framing, nosniff, referrer policy, no HSTS on http", () => {
    const h = securityHeaders({ ...base, pathname: "/settings" });
    expect(h).toEqual({
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
  });

  it("HSTS and upgrade-insecure-requests when APP_URL is https", () => {
    const h = securityHeaders({ ...base, appUrl: "https://stats.shop.example", pathname: "/dispatcher" });
    expect(h["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(h["Content-Security-Policy"]).toMatch(/; upgrade-insecure-requests$/);
  });

  it("share views take SHARE_FRAME_ANCESTORS; every other path stays unframeable", () => {
    const o = { ...base, shareFrameAncestors: "https://shop.example https://*.shop.example" };
    expect(contentSecurityPolicy({ ...o, pathname: "/share/abc" })).toContain("frame-ancestors https://shop.example https://*.shop.example");
    expect(securityHeaders({ ...o, pathname: "/share/abc" })["X-Frame-Options"]).toBeUndefined();
    expect(contentSecurityPolicy({ ...o, pathname: "/settings" })).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy({ ...o, pathname: "/shared-evil" })).toContain("frame-ancestors 'none'");
  });

  it("detects invalid percent-encoding", () => {
    expect(hasInvalidPercentEncoding("/api/utm/visitors/%FF")).toBe(true);
    expect(hasInvalidPercentEncoding("/api/utm/visitors/%E0%A4%A")).toBe(true);
    expect(hasInvalidPercentEncoding("/api/utm/visitors/%D0%B0")).toBe(false);
  });

  it("the proxy answers 400 JSON for a bad path under /api and sets a fresh nonce per request", async () => {
    const bad = await proxy(new NextRequest("http://localhost:3000/api/utm/visitors/%FF"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "The URL path is not valid UTF-8 percent-encoding" });
    // /sign-in reads no database (dashboard pages are covered by tests/api/db-down-http.test.ts).
    const a = await proxy(new NextRequest("http://localhost:3000/sign-in"));
    const b = await proxy(new NextRequest("http://localhost:3000/sign-in"));
    const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonceOf(a)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    // Next.js reads the nonce from the forwarded request's CSP header.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(a.headers.get("content-security-policy"));
  });
  // TRACE cannot even be a web Request (the front server refuses it: runtime-front-server.test.ts).
  it("the proxy answers made-up methods 405 with Allow (JSON under /api) (SPEC 21)", async () => {
    const brew = await proxy(new NextRequest("http://localhost:3000/api/ingest/orders", { method: "BREW" }));
    expect(brew.status).toBe(405);
    expect(brew.headers.get("allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    expect(await brew.json()).toEqual({ error: "The method BREW is not allowed; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" });
    const odd = await proxy(new NextRequest("http://localhost:3000/settings", { method: "PROPFIND" }));
    expect(odd.status).toBe(405);
    expect(odd.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });
});
