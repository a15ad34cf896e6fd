import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { POST as postOrders } from "@/app/api/ingest/orders/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { overrideConfig } from "@/lib/config";
import { rows } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { saveDestination } from "@/lib/forwarding/destinations";
import { claimDue } from "@/lib/forwarding/outbox";
import { eraseVisitor } from "@/lib/ingest/erase";
import { forwardPass } from "@/lib/forwarding/sender";
import { describeDb } from "../helpers/db";
import { call, sid, type Handler } from "../helpers/ingest";
import { CONVERSION_ACTION, CUSTOMER_ID, META_TOKEN, PIXEL_CODE, PIXEL_ID, platformEnv, startPlatforms, TIKTOK_TOKEN, type Platforms } from "../helpers/forwarding-platforms";

/**
 * SPEC 19: paid orders go to Meta, Google and TikTok from the durable outbox, exactly once
 * across retries, crashes and concurrent duplicate posts. The platforms are local servers
 * (tests/helpers/forwarding-platforms.ts) that check the documented request shapes.
 */

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const T = Date.now() - 3600_000; // an hour ago: inside FORWARD_MAX_AGE_DAYS
const iso = (ms: number) => new Date(ms).toISOString();

let p: Platforms;
let restore: () => void = () => {};
beforeAll(async () => {
  p = await startPlatforms();
});
afterAll(async () => {
  await p.close();
});

describeDb("forwarding outbox (SPEC 19)", (ctx) => {
  const db = () => ctx.handle.db;
  let token = "";
  /** The sender's clock: tests move it instead of waiting. */
  let clock = Date.now();
  const now = () => new Date(clock);
  /**
   * A pass at the test's clock. Rows never tried yet are stamped by the database's now() when the
   * order is stored; on a slow machine that can be later than the test clock, so they are made
   * due at the test clock first (only untried rows: retries and leases keep their own times).
   */
  const pass = async (extra: Parameters<typeof forwardPass>[1] = {}) => {
    await db().execute(sql`UPDATE forward_outbox SET next_attempt_at = ${iso(clock)}::timestamptz
                           WHERE status = 'queued' AND attempts = 0 AND next_attempt_at > ${iso(clock)}::timestamptz`);
    return forwardPass(db(), { now, ...extra });
  };

  beforeEach(async () => {
    restore = overrideConfig({ ...platformEnv(p.url), FORWARD_BACKOFF_BASE_MS: "1000", FORWARD_BACKOFF_MAX_MS: "8000", FORWARD_REQUIRE_CONSENT: "1" });
    await db().execute(sql`TRUNCATE forward_outbox, forward_destinations RESTART IDENTITY`);
    p.seen.length = 0;
    p.violations.length = 0;
    for (const k of ["meta", "google", "tiktok"] as const) {
      p.accepted(k).length = 0;
      delete p.answer[k];
    }
    clock = Date.now();
    token = (await createApiToken(db(), { name: "shop", scopes: ["ingest"] })).token;
  });
  afterEach(() => restore());

  const configureAll = async () => {
    await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN, test_event_code: "TEST123" });
    await saveDestination(db(), "google", { customer_id: "123-456-7890", conversion_action: CONVERSION_ACTION, service_account_key: p.serviceAccountKey });
    await saveDestination(db(), "tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN });
  };
  const addSession = async (n: number, consent: Record<string, string> | null, clickIds: Record<string, string> | null = null) => {
    await db()
      .insert(sessions)
      .values({ id: sid(n), visitorId: `v${n}`, startedAt: new Date(T - 600_000), lastEventAt: new Date(T - 600_000), utmSource: "facebook", clickIds, consent, landingUrl: "https://shop.example/?fbclid=FB.click_1" });
  };
  const postOrder = (body: unknown) => call(postOrders as unknown as Handler, "/api/ingest/orders", { body, headers: { authorization: `Bearer ${token}` } });
  const outbox = () =>
    rows<{ destination: string; order_id: string; status: string; attempts: number; last_error: string | null }>(
      db(),
      sql`SELECT destination::text AS destination, order_id::text AS order_id, status::text AS status, attempts::int AS attempts, last_error FROM forward_outbox ORDER BY destination, order_id`,
    );

  it("sends a consented paid order to all three platforms in their documented shapes, once", async () => {
    await configureAll();
    await addSession(1, { ad_user_data: "granted", ad_personalization: "denied", user_agent: "Mozilla/5.0 test" }, { fbclid: "FB.click_1", gclid: "G-click-1", ttclid: "TT-click-1" });
    const r = await postOrder({ order_id: "A-1001", visitor_id: "v1", session_id: sid(1), total: 123.45, currency: "EUR", placed_at: iso(T), email: " Buyer@Example.com ", phone: "+38 (050) 123-45-67" });
    expect(r.status).toBe(200);
    // The outbox row exists as soon as the order is answered: one per configured destination.
    expect((await outbox()).map((x) => `${x.destination}:${x.status}`)).toEqual(["google:queued", "meta:queued", "tiktok:queued"]);

    expect(await pass()).toEqual({ sent: 3, retried: 0, failed: 0, skipped: 0 });
    expect(p.violations).toEqual([]);
    const meta = p.seen.find((s) => s.platform === "meta")!.body as { data: Record<string, unknown>[]; test_event_code?: string };
    const ev = meta.data[0];
    expect(ev).toMatchObject({
      event_name: "Purchase",
      event_time: Math.floor(T / 1000),
      event_id: "A-1001",
      action_source: "website",
      event_source_url: "https://shop.example/?fbclid=FB.click_1",
      custom_data: { value: 123.45, currency: "EUR", order_id: "A-1001" },
    });
    const user = ev.user_data as Record<string, unknown>;
    expect(user.em).toEqual([sha("buyer@example.com")]);
    expect(user.ph).toEqual([sha("380501234567")]);
    // fbc = fb.1.<ms when the fbclid was first seen: the session's start>.<fbclid as it came>
    expect(user.fbc).toBe(`fb.1.${T - 600_000}.FB.click_1`);
    expect(user.client_user_agent).toBe("Mozilla/5.0 test");
    expect(meta.test_event_code).toBeUndefined(); // production events never carry the test code

    const g = p.seen.find((s) => s.platform === "google")!.body as { destinations: unknown[]; events: Record<string, unknown>[]; validateOnly?: boolean };
    expect(g.destinations).toEqual([{ operatingAccount: { accountType: "GOOGLE_ADS", accountId: CUSTOMER_ID }, productDestinationId: CONVERSION_ACTION }]);
    expect(g.events[0]).toEqual({
      transactionId: "A-1001",
      eventTimestamp: iso(T),
      conversionValue: 123.45,
      currency: "EUR",
      eventSource: "WEB",
      adIdentifiers: { gclid: "G-click-1" },
      userData: { userIdentifiers: [{ emailAddress: sha("buyer@example.com") }] },
      consent: { adUserData: "CONSENT_GRANTED", adPersonalization: "CONSENT_DENIED" },
    });
    expect(g.validateOnly).toBeUndefined();

    const t = p.seen.find((s) => s.platform === "tiktok")!.body as { data: Record<string, unknown>[] };
    expect(t.data[0]).toMatchObject({
      event: "CompletePayment",
      event_time: Math.floor(T / 1000),
      event_id: "A-1001",
      user: { email: sha("buyer@example.com"), ttclid: "TT-click-1", user_agent: "Mozilla/5.0 test", external_id: sha("visitor:v1") },
      properties: { value: 123.45, currency: "EUR", order_id: "A-1001", content_type: "product" },
    });

    // Acknowledged: later passes, even far later, send nothing again.
    clock += 96 * 3600_000;
    expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    expect(p.seen.filter((s) => s.platform !== "token")).toHaveLength(3);
    expect((await outbox()).map((x) => x.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("sends nothing without consent (skipped), and everything with FORWARD_REQUIRE_CONSENT=0", async () => {
    await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
    await addSession(1, { ad_user_data: "denied" });
    await addSession(2, null);
    await postOrder([
      { order_id: "denied", visitor_id: "v1", total: 10, placed_at: iso(T) },
      { order_id: "unknown", visitor_id: "v2", total: 10, placed_at: iso(T) },
    ]);
    expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 2 });
    expect(p.seen).toHaveLength(0);
    expect((await outbox()).map((x) => x.last_error)).toEqual([
      "no consent: the visitor did not grant ad_user_data",
      "no consent: the visitor did not grant ad_user_data",
    ]);
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await postOrder({ order_id: "no-check", visitor_id: "v2", total: 10, placed_at: iso(T) });
      expect(await pass()).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
    } finally {
      undo();
    }
  });

  it("queues only paid orders of configured destinations, placed within FORWARD_MAX_AGE_DAYS, and skips one refunded before it went out", async () => {
    await postOrder({ order_id: "before-config", total: 5, placed_at: iso(T) });
    expect(await outbox()).toEqual([]); // nothing configured: no rows
    await saveDestination(db(), "tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN });
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await postOrder([
        { order_id: "pending", total: 5, status: "pending", placed_at: iso(T) },
        { order_id: "old", total: 5, placed_at: iso(T - 8 * 86_400_000) }, // 8 days > 7
        { order_id: "paid", total: 5, placed_at: iso(T) },
        { order_id: "refunded-soon", total: 5, placed_at: iso(T) },
      ]);
      expect((await outbox()).map((x) => x.order_id)).toEqual(["paid", "refunded-soon"]);
      await postOrder({ order_id: "refunded-soon", total: 5, status: "refunded", placed_at: iso(T) });
      // pending → paid later enters the outbox then.
      await postOrder({ order_id: "pending", total: 5, status: "paid", placed_at: iso(T) });
      expect(await pass()).toEqual({ sent: 2, retried: 0, failed: 0, skipped: 1 });
      expect(p.accepted("tiktok").sort()).toEqual(["paid", "pending"]);
    } finally {
      undo();
    }
  });

  it("retries 5xx and 429 with backoff and stops on a permanent 4xx, showing the error", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      await saveDestination(db(), "tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN });
      let metaAnswers = [500, 429];
      p.answer.meta = () => {
        const s = metaAnswers.shift();
        return s ? { status: s, body: { error: { message: "Service temporarily unavailable", code: 2 } } } : { status: 200, body: { events_received: 1 } };
      };
      p.answer.tiktok = () => ({ status: 400, body: { code: 40001, message: "no permission for this pixel" } });
      await postOrder({ order_id: "o1", total: 10, placed_at: iso(T) });

      expect(await pass()).toEqual({ sent: 0, retried: 1, failed: 1, skipped: 0 });
      let rowsNow = await outbox();
      expect(rowsNow.find((x) => x.destination === "tiktok")).toMatchObject({ status: "failed", last_error: "TikTok HTTP 400 code 40001: no permission for this pixel" });
      expect(rowsNow.find((x) => x.destination === "meta")).toMatchObject({ status: "queued", attempts: 1 });
      // Backoff: 1 s after the first failure, 2 s after the second (base 1000 ms × 2^(attempts−1)).
      clock += 500;
      expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
      clock += 600; // 1.1 s: due, answered 429
      expect(await pass()).toEqual({ sent: 0, retried: 1, failed: 0, skipped: 0 });
      clock += 1500; // 1.5 s < 2 s
      expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
      clock += 600;
      expect(await pass()).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
      // The permanent failure is never tried again.
      clock += 3600_000;
      expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
      expect(p.seen.filter((s) => s.platform === "tiktok")).toHaveLength(1);
      expect(p.seen.filter((s) => s.platform === "meta")).toHaveLength(3);
      rowsNow = await outbox();
      expect(rowsNow.find((x) => x.destination === "meta")).toMatchObject({ status: "sent", attempts: 3 });
      metaAnswers = [];
    } finally {
      undo();
    }
  });

  it("a permanent refusal of a batch fails only the bad event (halves are sent again)", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      p.answer.meta = (s) => {
        const ids = (s.body as { data: { event_id: string }[] }).data.map((e) => e.event_id);
        return ids.includes("bad") ? { status: 400, body: { error: { message: "Invalid parameter", code: 100 } } } : { status: 200, body: { events_received: ids.length } };
      };
      await postOrder(["a", "b", "bad", "c", "d"].map((id) => ({ order_id: id, total: 1, placed_at: iso(T) })));
      expect(await pass()).toEqual({ sent: 4, retried: 0, failed: 1, skipped: 0 });
      expect(p.accepted("meta").sort()).toEqual(["a", "b", "c", "d"]);
    } finally {
      undo();
    }
  });

  it("gives up after 72 h of transient failures", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      p.answer.meta = () => ({ status: 503, body: {} });
      await postOrder({ order_id: "o1", total: 1, placed_at: iso(T) });
      expect(await pass()).toEqual({ sent: 0, retried: 1, failed: 0, skipped: 0 });
      clock += 72 * 3600_000 + 60_000;
      expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 1, skipped: 0 });
      expect((await outbox())[0]).toMatchObject({ status: "failed", last_error: "gave up after 72 h: Meta HTTP 503" });
    } finally {
      undo();
    }
  });

  it("kill -9 between claim and ack: the expired lease is re-sent with the same event id; an acked row never", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      await postOrder([
        { order_id: "acked", total: 1, placed_at: iso(T) },
        { order_id: "crashed", total: 1, placed_at: iso(T) },
      ]);
      expect(await pass({ batchSize: 1, maxRows: 1 })).toMatchObject({ sent: 1 }); // "acked" went out and was acknowledged
      // A sender claims "crashed", sends it (the platform accepts it) and dies before the ack.
      const claim = await claimDue(db(), "meta", 10, now(), 60_000);
      expect(claim.rows.map((r) => r.event_id)).toEqual(["crashed"]);
      // While the lease holds, nobody else takes it.
      expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
      clock += 61_000;
      expect(await pass()).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
      expect(p.accepted("meta")).toEqual(["acked", "crashed"]);
      // The dead sender's late ack cannot touch the row again (its claim token is stale).
      expect((await outbox()).map((x) => `${x.order_id}:${x.status}:${x.attempts}`)).toEqual(["acked:sent:1", "crashed:sent:2"]);
    } finally {
      undo();
    }
  });

  it("50 concurrent duplicate posts of one order give one outbox row per destination and one send", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      await saveDestination(db(), "tiktok", { pixel_code: PIXEL_CODE, access_token: TIKTOK_TOKEN });
      const answers = await Promise.all(Array.from({ length: 50 }, () => postOrder({ order_id: "dup", total: 42, placed_at: iso(T) })));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect((await outbox()).map((x) => x.destination)).toEqual(["meta", "tiktok"]);
      // Two senders at once (the in-process loop and the cron route) still send once.
      // A generous request timeout: on a loaded test machine a 10 s timeout would be a (correct) retry, not this test's point.
      const [a, b] = await Promise.all([pass({ timeoutMs: 60_000 }), pass({ timeoutMs: 60_000 })]);
      expect(a.sent + b.sent + a.retried + b.retried, JSON.stringify({ a, b, rows: await outbox() })).toBe(2);
      // Should the machine have dropped a connection (a transient retry), the retry settles it; still one row, one event id each.
      clock += 60_000;
      await pass({ timeoutMs: 60_000 });
      expect((await outbox()).map((x) => `${x.destination}:${x.status}`)).toEqual(["meta:sent", "tiktok:sent"]);
      expect(p.accepted("meta")).toEqual(["dup"]);
      expect(p.accepted("tiktok")).toEqual(["dup"]);
    } finally {
      undo();
    }
  });

  it("erasing the visitor skips their waiting events and drops the consent (with its User-Agent) from their sessions", async () => {
    await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
    await addSession(1, { ad_user_data: "granted", user_agent: "Mozilla/5.0 test" }, { fbclid: "FB.click_1" });
    await postOrder({ order_id: "forget-me", visitor_id: "v1", session_id: sid(1), total: 10, placed_at: iso(T), email: "a@b.co" });
    await eraseVisitor(db(), "v1");
    expect(await pass()).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    expect(p.seen).toHaveLength(0);
    expect(await outbox()).toMatchObject([{ status: "skipped", last_error: "erased on request" }]);
    expect(await rows(db(), sql`SELECT 1 FROM sessions WHERE consent IS NOT NULL`)).toHaveLength(0);
  });

  it("1,000 paid orders, the platform answering 500 for 10 s then 200: all arrive, each once", async () => {
    const undo = overrideConfig({ FORWARD_REQUIRE_CONSENT: "0", FORWARD_BACKOFF_BASE_MS: "500", FORWARD_BACKOFF_MAX_MS: "4000" });
    try {
      await saveDestination(db(), "meta", { pixel_id: PIXEL_ID, access_token: META_TOKEN });
      const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
      for (let i = 0; i < ids.length; i += 500) await postOrder(ids.slice(i, i + 500).map((id) => ({ order_id: id, total: 9.99, placed_at: iso(T) })));
      const start = clock;
      p.answer.meta = () => (clock - start < 10_000 ? { status: 500, body: { error: { message: "down" } } } : { status: 200, body: { events_received: 1 } });
      let sent = 0;
      // The sender's clock moves 1 s per pass: 10 passes of 500s, then the backlog drains.
      for (let step = 0; step < 40 && sent < 1000; step++) {
        sent += (await pass({ batchSize: 250 })).sent;
        clock += 1000;
      }
      expect(sent).toBe(1000);
      const got = p.accepted("meta");
      expect(got).toHaveLength(1000);
      expect(new Set(got).size).toBe(1000);
      expect([...got].sort()).toEqual(ids);
      // Failures came first: the 1,000 were refused (500) at least once each before the platform came back.
      expect(p.seen.filter((s) => s.platform === "meta").length).toBeGreaterThan(8);
    } finally {
      undo();
    }
  });
});
