import { describe, expect, it } from "vitest";
import { assertShareAllows } from "@/lib/analytics/share-scope";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { createShareLink, lockedParams, revokeShareLink, signShareId, verifyShareSignature, verifyShareToken } from "@/lib/auth/share-links";
import { AppError } from "@/lib/errors";
import { statusOf as httpStatus } from "@/lib/http/errors";
import { describeDb } from "./helpers/db";

const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (err) {
    return err instanceof AppError ? httpStatus(err) : -1;
  }
};
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 200;
  } catch (err) {
    return err instanceof AppError ? httpStatus(err) : -1;
  }
};

describe("share token signature", () => {
  const id = "0b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c";
  it("signs <id>.<HMAC-SHA256 base64url> and verifies it", () => {
    const token = signShareId(id);
    expect(token).toMatch(/^0b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c\.[A-Za-z0-9_-]{43}$/);
    expect(verifyShareSignature(token)).toBe(id);
  });
  it("refuses a changed signature, another id with a copied signature, or garbage", () => {
    const token = signShareId(id);
    const sig = token.split(".")[1];
    const flipped = `${id}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    expect(verifyShareSignature(flipped)).toBeUndefined();
    expect(verifyShareSignature(`1b7e2a8e-3d4c-4f5a-9b6c-7d8e9f0a1b2c.${sig}`)).toBeUndefined();
    expect(verifyShareSignature("nonsense")).toBeUndefined();
    expect(verifyShareSignature(`${id}.`)).toBeUndefined();
  });
  it("keeps only shareable parameters and rejects an invalid view", () => {
    expect(lockedParams("?period=week&utm_source=google&share=x&evil=1")).toEqual({ period: "week", utm_source: "google" });
    expect(statusOf(() => lockedParams("period=fortnight"))).toBe(400);
  });
});

describe("share scope (widening → 403)", () => {
  const now = new Date("2025-03-31T12:00:00Z");
  const locked = { start_date: "2025-03-01", end_date: "2025-03-31", utm_source: "google" };
  const check = (sp: Record<string, string>) => statusOf(() => assertShareAllows(locked, parseAnalyticsQuery(sp, { now, tz: "UTC" }), sp));
  it("allows the locked view and a narrower range", () => {
    expect(check(locked)).toBe(200);
    expect(check({ ...locked, start_date: "2025-03-10" })).toBe(200);
  });
  it("refuses a wider range, another filter value, an added or a removed filter", () => {
    expect(check({ ...locked, start_date: "2025-02-01" })).toBe(403);
    expect(check({ ...locked, utm_source: "bing" })).toBe(403);
    expect(check({ ...locked, device: "mobile" })).toBe(403);
    expect(check({ start_date: "2025-03-01", end_date: "2025-03-31" })).toBe(403);
  });
});

describeDb("share links", (ctx) => {
  it("a created link verifies to its locked params; expired and revoked links give 401", async () => {
    const db = ctx.handle.db;
    const created = await createShareLink(db, { params: "period=month&utm_source=google&cursor=zzz", expires_in_days: 2 }, null, new Date("2025-03-01T00:00:00Z"));
    expect(created.params).toEqual({ period: "month", utm_source: "google" });
    // Created 2025-03-01T00:00Z + 2 days = expires 2025-03-03T00:00Z.
    expect(created.expiresAt.toISOString()).toBe("2025-03-03T00:00:00.000Z");

    const ok = await verifyShareToken(created.token, db, new Date("2025-03-02T23:59:59Z"));
    expect(ok).toMatchObject({ linkId: created.id, params: { period: "month", utm_source: "google" } });

    expect(await status(verifyShareToken(created.token, db, new Date("2025-03-03T00:00:00Z")))).toBe(401);
    expect(await status(verifyShareToken(`${created.token}x`, db, new Date("2025-03-02T00:00:00Z")))).toBe(401);
    // A well-signed id that has no row.
    expect(await status(verifyShareToken(signShareId("00000000-0000-4000-8000-000000000000"), db, new Date("2025-03-02T00:00:00Z")))).toBe(401);

    expect(await revokeShareLink(db, created.id)).toBe(true);
    expect(await revokeShareLink(db, created.id)).toBe(false);
    expect(await status(verifyShareToken(created.token, db, new Date("2025-03-02T00:00:00Z")))).toBe(401);
  });
});
