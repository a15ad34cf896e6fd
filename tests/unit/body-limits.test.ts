import { describe, expect, it } from "vitest";
import nextConfig, { PROXY_BODY_BYTES } from "@/next.config";
import { MAX_AD_SPEND_BYTES } from "@/lib/http/ad-spend-body";
import { MAX_BATCH_BYTES } from "@/lib/ingest/batch";

describe("body limits (SPEC 21)", () => {
  it("the proxy's body buffer is larger than every route's own limit, so a route answers 413 with its limit instead of reading a cut body", () => {
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(PROXY_BODY_BYTES);
    // 21 MiB = 22,020,096 bytes > the batch's 20 MiB = 20,971,520 and the ad-spend upload's 5 MiB.
    expect(PROXY_BODY_BYTES).toBe(22_020_096);
    for (const limit of [MAX_BATCH_BYTES, MAX_AD_SPEND_BYTES]) expect(PROXY_BODY_BYTES).toBeGreaterThan(limit);
  });
});
