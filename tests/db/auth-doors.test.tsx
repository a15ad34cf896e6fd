import { eq, sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ShareLinkStatus } from "@/app/settings/ShareLinkStatus";
import { createApiToken, findApiToken } from "@/lib/auth/api-tokens";
import { deleteUser, listApiTokens, setUserRole } from "@/lib/auth/user-admin";
import { createUser } from "@/lib/auth/users";
import { apiTokens, users } from "@/lib/db/schema";
import { errorResponse } from "@/lib/http/errors";
import { en } from "@/lib/i18n/en";
import { describeDb } from "../helpers/db";

/** Issue 10 items 9 and 12: the last-admin race, token last use, share-link privacy, error logs. */

describeDb("last admin under concurrency; token last use (issue 10 item 12)", (ctx) => {
  const admins = async () => (await ctx.handle.db.select({ id: users.id }).from(users).where(eq(users.role, "admin"))).length;
  let a = 0;
  let b = 0;
  beforeEach(async () => {
    a = (await createUser(ctx.handle.db, { email: "a@shop.ua", password: "password123", role: "admin" })).id;
    b = (await createUser(ctx.handle.db, { email: "b@shop.ua", password: "password123", role: "admin" })).id;
  });

  it("two concurrent demotions of the last two admins: one passes, one is refused, one admin stays", async () => {
    const got = await Promise.allSettled([setUserRole(ctx.handle.db, a, "viewer"), setUserRole(ctx.handle.db, b, "viewer")]);
    expect(got.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = got.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.message).toBe("The last admin cannot be demoted");
    expect(await admins()).toBe(1);
  });

  it("a concurrent delete and demotion of the last two admins: one admin stays", async () => {
    const viewer = (await createUser(ctx.handle.db, { email: "v@shop.ua", password: "password123", role: "viewer" })).id;
    const got = await Promise.allSettled([deleteUser(ctx.handle.db, a, viewer), setUserRole(ctx.handle.db, b, "viewer")]);
    expect(got.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await admins()).toBe(1);
  });

  it("writes last_used_at when a token is used, at most once a minute, and lists it", async () => {
    const { id, token } = await createApiToken(ctx.handle.db, { name: "shop", scopes: ["ingest"] });
    const lastUsed = async () => (await ctx.handle.db.select({ t: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id)))[0].t;
    expect(await lastUsed()).toBeNull();
    const t0 = new Date("2026-03-01T10:00:00Z");
    await findApiToken(ctx.handle.db, token, t0);
    expect((await lastUsed())?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    // 59 s later: within the minute, not written again.
    await findApiToken(ctx.handle.db, token, new Date("2026-03-01T10:00:59Z"));
    expect((await lastUsed())?.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    // 60 s after the last write: written.
    await findApiToken(ctx.handle.db, token, new Date("2026-03-01T10:01:00Z"));
    expect((await lastUsed())?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
    expect((await listApiTokens(ctx.handle.db))[0].lastUsedAt?.toISOString()).toBe("2026-03-01T10:01:00.000Z");
  });

  it("an unhandled driver error is logged without its parameters or the values in its message", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      let err: unknown;
      try {
        await ctx.handle.db.execute(sql`select ${"order-secret-42"}::int as n`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeDefined();
      const res = errorResponse(err);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: "Internal error" });
      const logged = spy.mock.calls.map((c) => c.join(" ")).join("\n");
      expect(logged).toContain("[utmd] unhandled error:");
      expect(logged).not.toContain("order-secret-42");
    } finally {
      spy.mockRestore();
    }
  });
});

describe("settings privacy (issue 10 item 9)", () => {
  const link = { token: "SECRET-TOKEN", params: { period: "month" }, active: true, revokedAt: null };
  it("viewers see that a share link is active, never its URL or token; admins get the link", () => {
    const viewer = renderToStaticMarkup(<ShareLinkStatus link={link} admin={false} t={en} />);
    expect(viewer).toBe('<span class="text-emerald-700">Active</span>');
    const admin = renderToStaticMarkup(<ShareLinkStatus link={link} admin t={en} />);
    expect(admin).toBe('<a href="/share/SECRET-TOKEN?period=month" class="text-indigo-700 underline" data-share-link="true">Active</a>');
  });
});

describe("error logs (issue 10 item 9)", () => {
  let spy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    spy = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => spy.mockRestore());

  it("mask query strings, quoted values and uuids in an error message, and never print the error's fields", () => {
    const err = Object.assign(new Error('GET /api/utm/sessions?customer_id=c-77 failed for "visitor-9" 00000000-0000-4000-8000-000000000001'), {
      code: "XX000",
      parameters: ["order-o1"],
      query: "select * from orders where order_id = $1",
    });
    errorResponse(err);
    const logged = String(spy.mock.calls[0][0]);
    expect(logged.split("\n")[0]).toBe('[utmd] unhandled error: Error [XX000]: GET /api/utm/sessions?… failed for "…" <uuid>');
    for (const secret of ["c-77", "visitor-9", "order-o1", "000000000001", "customer_id"]) expect(logged).not.toContain(secret);
  });
});
