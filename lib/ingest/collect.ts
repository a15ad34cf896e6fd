import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { enqueueEvent, type NewSession, type QueuedEvent } from "./collect-queue";
import { countryFromRequest } from "./geo";
import { deriveTrafficSource, pathOf } from "./normalize";
import {
  eventNameSchema,
  eventTypeSchema,
  FUNNEL_STEP,
  optionalText,
  propertiesSchema,
  uuidSchema,
  visitorIdSchema,
} from "./schemas";
import { isBotUserAgent, parseUserAgent } from "./user-agent";

/**
 * SPEC 2.2: one tracker event: validated, bots dropped, then written through the group-commit
 * queue (collect-queue.ts), which answers once the event is committed. Retries are harmless:
 * event and session inserts are ON CONFLICT DO NOTHING.
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

export const collectSchema = z
  .object({
    event_id: uuidSchema,
    visitor_id: visitorIdSchema,
    session_id: uuidSchema,
    type: eventTypeSchema,
    name: eventNameSchema,
    url: httpUrl,
    referrer: optionalText(4096),
    properties: propertiesSchema,
  })
  .superRefine((e, ctx) => {
    if (e.type === "custom" && !e.name) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "is required for custom events" });
    }
  });

export type CollectInput = z.output<typeof collectSchema>;

export type CollectContext = { headers: Headers; now?: Date };

export type CollectOutcome = "stored" | "duplicate" | "bot";

export function parseCollectBody(raw: unknown): CollectInput {
  const body = sanitizeJson(raw);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("Send one event as a JSON object");
  }
  const r = collectSchema.safeParse(body);
  if (!r.success) throw badRequest("Invalid event", zodIssues(r.error));
  return r.data;
}

export async function collectEvent(db: Db, body: unknown, ctx: CollectContext): Promise<CollectOutcome> {
  const ev = parseCollectBody(body);
  const ua = ctx.headers.get("user-agent");
  if (isBotUserAgent(ua)) return "bot";
  const now = (ctx.now ?? new Date()).toISOString();
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
    utm_source: src.utmSource,
    utm_medium: src.utmMedium,
    utm_campaign: src.utmCampaign,
    utm_content: src.utmContent,
    utm_term: src.utmTerm,
    country: await countryFromRequest(ctx.headers),
    device: agent.device,
    browser: agent.browser,
    os: agent.os,
  };
  const event: QueuedEvent = {
    id: ev.event_id,
    session_id: ev.session_id,
    type: ev.type,
    name: ev.type === "custom" ? (ev.name ?? null) : null,
    path,
    occurred_at: now,
    properties: ev.properties ?? null,
    page_view: ev.type === "page_view" ? 1 : 0,
    step: FUNNEL_STEP[ev.type],
  };
  return enqueueEvent(db, event, session);
}
