import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { enqueueDrop, enqueueEvent, type NewSession, type QueuedEvent } from "./collect-queue";
import { consentSchema, recordConsent } from "./consent";
import { countryFromRequest } from "./geo";
import { deriveTrafficSource, pathOf, referrerHost } from "./normalize";
import { nullishText, recordSchema, refuse, type RecordRule } from "./fields";
import { linkOrder } from "./order-links";
import {
  customEventNamed,
  eventNameSchema,
  eventTypeSchema,
  type EventType,
  optionalText,
  propertiesSchema,
  uuidSchema,
  visitorIdSchema,
} from "./schemas";
import type { DropReason } from "./tracker-health";
import { isBotUserAgent, parseUserAgent } from "./user-agent";
import { eventDelta } from "./write-sessions";

/**
 * SPEC 2.2: one tracker event: validated, bots dropped, then written through the group-commit
 * queue (collect-queue.ts), which answers once the event is committed. Retries are harmless:
 * event and session inserts are ON CONFLICT DO NOTHING. Everything stored is cleaned here, before
 * the queue: JSON strings by sanitizeJson, strings decoded from the URL and referrer (utm_*, gclid)
 * by normalize.clean after decoding (SPEC 16); paths stay percent-encoded as the URL has them.
 * Dropped hits are counted for tracker health (SPEC 16), without anything about the visitor.
 */

export const MAX_COLLECT_BYTES = 16 * 1024;

const httpUrl = z
  .string({ error: "must be a string" })
  .max(4096, "must be at most 4096 characters")
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL");

/** Longest order id, as orders store it (orders.order_id varchar(128)). */
export const MAX_ORDER_ID = 128;

/**
 * The shop's order id a `purchase` event carries (top-level `order_id`, SPEC 17.1): trimmed as
 * orders trim theirs, so the link finds the order; no control characters.
 */
export const eventOrderIdSchema = nullishText({
  notString: "must be a string",
  max: [MAX_ORDER_ID, `must be at most ${MAX_ORDER_ID} characters`],
  normalise: (s) => {
    const t = s.trim();
    if (!t) return refuse("must not be empty");
    return /[\u0000-\u001f\u007f]/.test(t) ? refuse("must not contain control characters") : t;
  },
});

/** `purchase` names its order; no other type does. */
const purchaseNamesOrder: RecordRule<{ type: EventType; order_id?: string }> = (e) =>
  e.type === "purchase"
    ? e.order_id === undefined
      ? { path: "order_id", message: "is required for purchase events" }
      : undefined
    : e.order_id !== undefined
      ? { path: "order_id", message: "is only allowed on purchase events" }
      : undefined;

/** Other names of event types (SPEC 17.1 calls the pixel's checkout_started event `checkout`). */
export const EVENT_TYPE_ALIASES: Readonly<Record<string, EventType>> = { checkout: "checkout_start" };

export const collectSchema = recordSchema(
  {
    event_id: uuidSchema,
    visitor_id: visitorIdSchema,
    session_id: uuidSchema,
    type: eventTypeSchema,
    name: eventNameSchema,
    url: httpUrl,
    referrer: optionalText(4096),
    properties: propertiesSchema,
    order_id: eventOrderIdSchema,
    consent: consentSchema,
  },
  customEventNamed,
  purchaseNamesOrder,
);

export type CollectInput = z.output<typeof collectSchema>;

export type CollectContext = { headers: Pick<Headers, "get">; now?: Date };

export type CollectOutcome = "stored" | "duplicate" | "bot";

export function parseCollectBody(raw: unknown): CollectInput {
  const body = sanitizeJson(raw);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("Send one event as a JSON object");
  }
  const rec = body as Record<string, unknown>;
  if (typeof rec.type === "string" && Object.hasOwn(EVENT_TYPE_ALIASES, rec.type)) rec.type = EVENT_TYPE_ALIASES[rec.type];
  const r = collectSchema.safeParse(body);
  if (!r.success) throw badRequest("Invalid event", zodIssues(r.error));
  return r.data;
}

export async function collectEvent(db: Db, body: unknown, ctx: CollectContext): Promise<CollectOutcome> {
  const ev = parseCollectBody(body);
  const ua = ctx.headers.get("user-agent");
  const at = ctx.now ?? new Date();
  if (isBotUserAgent(ua)) {
    enqueueDrop(db, "bot", at);
    return "bot";
  }
  const now = at.toISOString();
  const path = pathOf(ev.url);
  // What the session would be if this is its first event (cheap: the UA parse is memoised).
  const src = deriveTrafficSource({ landingUrl: ev.url, referrer: ev.referrer });
  const agent = parseUserAgent(ua);
  const session: NewSession = {
    id: ev.session_id,
    visitor_id: ev.visitor_id,
    started_at: now,
    landing_url: ev.url,
    landing_path: path,
    referrer: ev.referrer ?? null,
    referrer_host: referrerHost(ev.referrer),
    utm_source: src.utmSource,
    utm_medium: src.utmMedium,
    utm_campaign: src.utmCampaign,
    utm_content: src.utmContent,
    utm_term: src.utmTerm,
    country: await countryFromRequest(ctx.headers),
    device: agent.device,
    browser: agent.browser,
    os: agent.os,
    channel: src.channel,
    click_ids: src.clickIds,
    utm_id: src.utmId,
  };
  const event: QueuedEvent = {
    id: ev.event_id,
    session_id: ev.session_id,
    type: ev.type,
    name: ev.type === "custom" ? (ev.name ?? null) : null,
    path,
    occurred_at: now,
    properties: ev.properties ?? null,
    ...eventDelta(ev.type),
  };
  const outcome = await enqueueEvent(db, event, session);
  // SPEC 19: after the flush, so the session exists; a duplicate event reports it again harmlessly.
  if (ev.consent) await recordConsent(db, ev.session_id, ev.consent, ua);
  // A retried purchase (duplicate event) links again: harmless, and it completes a link whose
  // first attempt failed after the event was stored.
  if (ev.type === "purchase" && ev.order_id) await linkOrder(db, ev.order_id, ev.session_id);
  return outcome;
}

/** Counts a hit the edge dropped before parsing it (refused origin, invalid body). */
export function recordDrop(db: Db, reason: DropReason, at?: Date): void {
  enqueueDrop(db, reason, at);
}
