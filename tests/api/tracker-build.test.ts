import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/t.js/route";
import { TRACKER_ETAG, TRACKER_JS } from "@/lib/tracker/built";
import { buildTrackerSource, renderTrackerModule, TRACKER_MODULE } from "@/scripts/build-tracker";

describe("GET /t.js and the generated tracker module", () => {
  it("the committed lib/tracker/built.ts matches tracker/tracker.ts (run npm run build:tracker)", async () => {
    const fresh = renderTrackerModule(await buildTrackerSource());
    expect(readFileSync(TRACKER_MODULE, "utf8")).toBe(fresh);
  });

  it("serves the tracker as cacheable, cross-origin JavaScript under 2 KB gzipped (SPEC 9)", async () => {
    const res = GET(new Request("http://app.example/t.js"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("etag")).toBe(TRACKER_ETAG);
    const body = await res.text();
    expect(body).toBe(TRACKER_JS);
    // The budget is on what a browser downloads: the served bytes, gzipped.
    const gzipped = gzipSync(Buffer.from(body, "utf8"), { level: 9 }).length;
    expect(gzipped).toBeLessThan(2048);
  });

  it("carries nosniff and the referrer policy itself (proxy.ts skips /t.js)", () => {
    const res = GET(new Request("http://app.example/t.js"));
    expect([res.headers.get("x-content-type-options"), res.headers.get("referrer-policy")]).toEqual(["nosniff", "strict-origin-when-cross-origin"]);
  });

  it("answers 304 without a body when the browser already holds this version", async () => {
    const res = GET(new Request("http://app.example/t.js", { headers: { "if-none-match": `W/${TRACKER_ETAG}` } }));
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
    const stale = GET(new Request("http://app.example/t.js", { headers: { "if-none-match": '"0000"' } }));
    expect(stale.status).toBe(200);
  });
});
