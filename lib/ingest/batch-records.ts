import { z } from "zod";
import { zodIssues, type Issue } from "@/lib/errors";
import { parseUuid } from "@/lib/ids";
import { countryCode } from "./geo";
import { clean, NONE } from "./normalize";
import {
  EVENT_TYPES,
  eventNameSchema,
  eventTypeSchema,
  instantSchema,
  MAX_PROPERTIES_BYTES,
  optionalText,
  parseInstant,
  propertiesSchema,
  uuidSchema,
  visitorIdSchema,
} from "./schemas";
import { DEVICES, type Device } from "./user-agent";

/**
 * The session and event records of a batch (SPEC 2.4). zod is the definition and the source of
 * every error message. Because `seed-demo` and `import` push millions of records through here, a
 * well-formed record is first checked by a plain function that accepts a strict subset of what
 * the schema accepts and returns exactly the schema's output (tests hold the two together); any
 * record it does not accept goes through zod, which reports the issues.
 */

const LIMITS = { url: 4096, utm: 500, family: 100, userAgent: 1000, name: 200, path: 2048 } as const;

const deviceSchema = z
  .string({ error: "must be a string" })
  .max(16, `must be one of ${DEVICES.join(", ")}`)
  .nullish()
  .transform((s, ctx) => {
    const v = s?.trim().toLowerCase();
    if (!v) return undefined;
    if (!(DEVICES as readonly string[]).includes(v)) {
      ctx.addIssue({ code: "custom", message: `must be one of ${DEVICES.join(", ")}` });
      return z.NEVER;
    }
    return v as Device;
  });

const countrySchema = z
  .string({ error: "must be a string" })
  .max(8, "must be an ISO 3166-1 alpha-2 code")
  .nullish()
  .transform((s, ctx) => {
    const v = clean(s);
    if (!v || v === NONE) return undefined;
    const code = countryCode(v);
    if (!code) {
      ctx.addIssue({ code: "custom", message: "must be an ISO 3166-1 alpha-2 code such as UA" });
      return z.NEVER;
    }
    return code;
  });

export const sessionSchema = z.object({
  id: uuidSchema,
  visitor_id: visitorIdSchema,
  started_at: instantSchema,
  landing_url: optionalText(LIMITS.url),
  referrer: optionalText(LIMITS.url),
  utm_source: optionalText(LIMITS.utm),
  utm_medium: optionalText(LIMITS.utm),
  utm_campaign: optionalText(LIMITS.utm),
  utm_content: optionalText(LIMITS.utm),
  utm_term: optionalText(LIMITS.utm),
  country: countrySchema,
  device: deviceSchema,
  browser: optionalText(LIMITS.family),
  os: optionalText(LIMITS.family),
  user_agent: optionalText(LIMITS.userAgent),
});

export const eventSchema = z
  .object({
    id: uuidSchema,
    session_id: uuidSchema,
    type: eventTypeSchema,
    name: eventNameSchema,
    occurred_at: instantSchema,
    path: optionalText(LIMITS.path),
    properties: propertiesSchema,
  })
  .superRefine((e, ctx) => {
    if (e.type === "custom" && !e.name) {
      ctx.addIssue({ code: "custom", path: ["name"], message: "is required for custom events" });
    }
  });

export type SessionRecord = z.output<typeof sessionSchema>;
export type EventRecord = z.output<typeof eventSchema>;

// ---- the fast checks -------------------------------------------------------------------------

const BAD = Symbol("bad");

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function fastUuid(v: unknown): string | typeof BAD {
  return parseUuid(v) ?? BAD;
}

function fastText(v: unknown, max: number): string | undefined | typeof BAD {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.length > max) return BAD;
  const t = v.trim();
  return t ? t : undefined;
}

function fastInstant(v: unknown): string | typeof BAD {
  if (typeof v !== "string" || v.length > 40) return BAD;
  return parseInstant(v) ?? BAD;
}

function fastSession(r: unknown): SessionRecord | undefined {
  if (!isObject(r)) return undefined;
  const id = fastUuid(r.id);
  const visitor = r.visitor_id;
  const started = fastInstant(r.started_at);
  if (id === BAD || started === BAD || typeof visitor !== "string" || visitor.length < 1 || visitor.length > 64) return undefined;
  const texts = {
    landing_url: fastText(r.landing_url, LIMITS.url),
    referrer: fastText(r.referrer, LIMITS.url),
    utm_source: fastText(r.utm_source, LIMITS.utm),
    utm_medium: fastText(r.utm_medium, LIMITS.utm),
    utm_campaign: fastText(r.utm_campaign, LIMITS.utm),
    utm_content: fastText(r.utm_content, LIMITS.utm),
    utm_term: fastText(r.utm_term, LIMITS.utm),
    browser: fastText(r.browser, LIMITS.family),
    os: fastText(r.os, LIMITS.family),
    user_agent: fastText(r.user_agent, LIMITS.userAgent),
  };
  for (const v of Object.values(texts)) if (v === BAD) return undefined;
  // Country and device have their own rules: anything but absent/empty goes through zod.
  const country = fastText(r.country, 8);
  const device = fastText(r.device, 16);
  if (country !== undefined || device !== undefined) return undefined;
  return { id, visitor_id: visitor, started_at: started, ...(texts as Record<keyof typeof texts, string | undefined>), country: undefined, device: undefined };
}

const EVENT_TYPE_SET = new Set<string>(EVENT_TYPES);

function fastEvent(r: unknown): EventRecord | undefined {
  if (!isObject(r)) return undefined;
  const id = fastUuid(r.id);
  const session = fastUuid(r.session_id);
  const occurred = fastInstant(r.occurred_at);
  const type = r.type;
  const name = fastText(r.name, LIMITS.name);
  const path = fastText(r.path, LIMITS.path);
  if (id === BAD || session === BAD || occurred === BAD || name === BAD || path === BAD) return undefined;
  if (typeof type !== "string" || !EVENT_TYPE_SET.has(type)) return undefined;
  if (type === "custom" && !name) return undefined;
  let properties: Record<string, unknown> | undefined;
  const p = r.properties;
  if (p !== undefined && p !== null) {
    if (!isObject(p) || Buffer.byteLength(JSON.stringify(p), "utf8") > MAX_PROPERTIES_BYTES) return undefined;
    properties = Object.keys(p).length > 0 ? p : undefined;
  }
  return { id, session_id: session, type: type as EventRecord["type"], name, occurred_at: occurred, path, properties };
}

// ---- the entry points -----------------------------------------------------------------------

export function parseSessionRecord(raw: unknown, path: string, issues: Issue[]): SessionRecord | undefined {
  const fast = fastSession(raw);
  if (fast) return fast;
  const r = sessionSchema.safeParse(raw);
  if (r.success) return r.data;
  issues.push(...zodIssues(r.error, path));
  return undefined;
}

export function parseEventRecord(raw: unknown, path: string, issues: Issue[]): EventRecord | undefined {
  const fast = fastEvent(raw);
  if (fast) return fast;
  const r = eventSchema.safeParse(raw);
  if (r.success) return r.data;
  issues.push(...zodIssues(r.error, path));
  return undefined;
}

/** For the equivalence test: the fast check alone. */
export const fastChecks = { fastSession, fastEvent };
