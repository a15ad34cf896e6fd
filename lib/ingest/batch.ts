import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badRequest, zodIssues, type Issue } from "@/lib/errors";
import { sanitizeJson } from "./clean";
import { parseEventRecord, parseSessionRecord } from "./batch-records";
import { deriveTrafficSource, NONE, pathOf, referrerHost } from "./normalize";
import { upsertOrders, validateOrders, type ValidOrder } from "./orders";
import { inTransaction } from "./sql-util";
import { isBotUserAgent, parseUserAgent } from "./user-agent";
import { eventFactsOf, upsertEvents, upsertSessions, type EventRow, type SessionRow } from "./write-sessions";

/**
 * SPEC 2.4: backfill/migration of sessions, events and orders, all-or-nothing in one transaction,
 * idempotent by id (a record sent again is updated in place). Also the loader behind
 * `seed-demo` and `import`, so it is set-based throughout: one multi-row statement per record
 * kind (json_to_recordset) and one set-based statement per maintained fact. Sessions and events
 * are written by write-sessions.ts, the write path collect uses too.
 */

export const MAX_BATCH_RECORDS = 10_000;
export const MAX_BATCH_BYTES = 20 * 1024 * 1024;

const batchShape = z.object(
  {
    sessions: z.array(z.unknown(), { error: "must be an array" }).nullish(),
    events: z.array(z.unknown(), { error: "must be an array" }).nullish(),
    orders: z.array(z.unknown(), { error: "must be an array" }).nullish(),
  },
  { error: "must be an object with sessions, events and orders arrays" },
);

type Parsed = {
  sessions: SessionRow[];
  botSessions: Set<string>;
  events: EventRow[];
  orders: ValidOrder[];
};

export type BatchResult = { sessions: number; events: number; orders: number };

/** Validates everything first (one issue per bad field), derives and normalises session attributes. */
export function parseBatch(body: unknown): Parsed {
  const shape = batchShape.safeParse(sanitizeJson(body));
  if (!shape.success) throw badRequest("Invalid batch", zodIssues(shape.error));
  const rawSessions = shape.data.sessions ?? [];
  const rawEvents = shape.data.events ?? [];
  const rawOrders = shape.data.orders ?? [];
  const total = rawSessions.length + rawEvents.length + rawOrders.length;
  if (total > MAX_BATCH_RECORDS) {
    throw badRequest(`At most ${MAX_BATCH_RECORDS} records per batch; split it`, [
      { path: "(root)", message: `has ${total} records, more than ${MAX_BATCH_RECORDS}` },
    ]);
  }

  const issues: Issue[] = [];
  const sessions = new Map<string, SessionRow>();
  const botSessions = new Set<string>();
  rawSessions.forEach((item, i) => {
    const s = parseSessionRecord(item, `sessions[${i}]`, issues);
    if (!s) return;
    sessions.delete(s.id);
    if (isBotUserAgent(s.user_agent)) {
      botSessions.add(s.id);
      return;
    }
    botSessions.delete(s.id);
    // Explicit attributes win over derived ones, normalised the same way (SPEC 2.4, 3.1).
    const src = deriveTrafficSource({ landingUrl: s.landing_url, referrer: s.referrer, explicit: s });
    const agent = parseUserAgent(s.user_agent);
    sessions.set(s.id, {
      id: s.id,
      visitor_id: s.visitor_id,
      started_at: s.started_at,
      landing_url: s.landing_url ?? null,
      landing_path: pathOf(s.landing_url),
      referrer: s.referrer ?? null,
      referrer_host: referrerHost(s.referrer),
      utm_source: src.utmSource,
      utm_medium: src.utmMedium,
      utm_campaign: src.utmCampaign,
      utm_content: src.utmContent,
      utm_term: src.utmTerm,
      country: s.country ?? NONE,
      device: s.device ?? agent.device,
      browser: s.browser ?? agent.browser,
      os: s.os ?? agent.os,
      channel: src.channel,
      click_ids: src.clickIds,
      utm_id: src.utmId,
    });
  });

  const events = new Map<string, EventRow>();
  rawEvents.forEach((item, i) => {
    const e = parseEventRecord(item, `events[${i}]`, issues);
    if (!e) return;
    events.delete(e.id);
    events.set(e.id, {
      id: e.id,
      session_id: e.session_id,
      type: e.type,
      name: e.type === "custom" ? (e.name ?? null) : null,
      path: e.path ?? null,
      occurred_at: e.occurred_at,
      properties: e.properties ?? null,
    });
  });

  const orders = validateOrders(rawOrders, (i) => `orders[${i}]`, issues);
  if (issues.length) throw badRequest("Invalid batch: nothing was stored", issues);
  return { sessions: [...sessions.values()], botSessions, events: [...events.values()], orders };
}

export async function ingestBatch(db: Db, body: unknown): Promise<BatchResult> {
  const parsed = parseBatch(body);
  const events = parsed.events.filter((e) => !parsed.botSessions.has(e.session_id));
  const facts = eventFactsOf(events);
  return inTransaction(db, async (tx) => {
    const s = await upsertSessions(tx, parsed.sessions, facts);
    const batchIds = new Set(parsed.sessions.map((x) => x.id));
    const updated = new Set(s.updated);
    // A session inserted by this batch got its event facts from the batch itself (exact: a new
    // session has no other events); the rest are recomputed from the table.
    const eventCount = await upsertEvents(tx, events, batchIds, (id) => !batchIds.has(id) || updated.has(id));
    const stored = await upsertOrders(tx, parsed.orders, batchIds, s.acquisitionCustomers);
    return { sessions: s.count, events: eventCount, orders: stored.length };
  });
}
