import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { loadDestinations, type Destination } from "./destinations";
import type { OrderFacts } from "./order-facts";
import { PLATFORMS } from "./platforms";
import { send } from "./sender";

/**
 * The settings page's "send a test event" (SPEC 19): one made-up Purchase, sent at once (not
 * through the outbox), marked as a test the way each platform offers: Meta and TikTok with the
 * saved test_event_code (shown in their Test Events tools), Google with validateOnly (checked,
 * not stored). Answers what the platform said; the secret never appears in it.
 */

export type TestEventAnswer = { ok: boolean; destination: Destination; status: number | null; message: string; event_id: string };

export async function sendTestEvent(db: Db, destination: Destination, now = new Date()): Promise<TestEventAnswer> {
  const dest = (await loadDestinations(db)).configs.find((c) => c.destination === destination);
  if (!dest) throw notFound(`${destination} is not configured (or its secret must be saved again)`);
  const eventId = `utmd-test-${now.getTime()}`;
  const facts: OrderFacts = {
    order_id: eventId,
    status: "paid",
    value: 1,
    currency: "USD",
    placed_at: now,
    email_sha256: null,
    phone_sha256: null,
    customer_id: eventId,
    page_url: null,
    referrer: null,
    click_ids: {},
    clicked_at: null,
    consent: { ad_user_data: "granted", ad_personalization: "denied" },
  };
  const out = await send(dest, PLATFORMS[destination], [facts], { test: true, timeoutMs: 10_000 });
  return out.kind === "ok"
    ? { ok: true, destination, status: 200, message: "accepted", event_id: eventId }
    : { ok: false, destination, status: out.status, message: out.message, event_id: eventId };
}
