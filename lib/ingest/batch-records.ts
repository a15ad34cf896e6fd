import type { z } from "zod";
import { countryCode } from "./geo";
import { fastCheckOf, nullishText, recordParser, recordSchema, refuse, SLOW } from "./fields";
import { clean, NONE } from "./normalize";
import {
  customEventNamed,
  eventNameSchema,
  eventTypeSchema,
  instantSchema,
  optionalText,
  propertiesSchema,
  uuidSchema,
  visitorIdSchema,
} from "./schemas";
import { DEVICES, type Device } from "./user-agent";

/**
 * The session and event records of a batch (SPEC 2.4). zod is the definition and the source of
 * every error message. Because `seed-demo` and `import` push millions of records through here, a
 * record is first checked by the fast check generated from the same field definitions
 * (lib/ingest/fields.ts): it accepts a subset of what the schema accepts and returns exactly the
 * schema's output; any record it does not decide goes through zod, which reports the issues.
 */

const LIMITS = { url: 4096, utm: 500, family: 100, userAgent: 1000, name: 200, path: 2048 } as const;

const DEVICE_MESSAGE = `must be one of ${DEVICES.join(", ")}`;

// Country and device have rules of their own: their fast check decides absent and blank values
// only, any other string goes through zod.
const deviceSchema = nullishText<Device | undefined>({
  notString: "must be a string",
  max: [16, DEVICE_MESSAGE],
  normalise: (s) => {
    const v = s.trim().toLowerCase();
    if (!v) return undefined;
    return (DEVICES as readonly string[]).includes(v) ? (v as Device) : refuse(DEVICE_MESSAGE);
  },
  fastOnlyBlank: true,
});

const countrySchema = nullishText({
  notString: "must be a string",
  max: [8, "must be an ISO 3166-1 alpha-2 code"],
  normalise: (s) => {
    const v = clean(s);
    if (!v || v === NONE) return undefined;
    return countryCode(v) ?? refuse("must be an ISO 3166-1 alpha-2 code such as UA");
  },
  fastOnlyBlank: true,
});

export const sessionSchema = recordSchema({
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
  utm_id: optionalText(LIMITS.utm),
  country: countrySchema,
  device: deviceSchema,
  browser: optionalText(LIMITS.family),
  os: optionalText(LIMITS.family),
  user_agent: optionalText(LIMITS.userAgent),
});

export const eventSchema = recordSchema(
  {
    id: uuidSchema,
    session_id: uuidSchema,
    type: eventTypeSchema,
    name: eventNameSchema,
    occurred_at: instantSchema,
    path: optionalText(LIMITS.path),
    properties: propertiesSchema,
  },
  customEventNamed,
);

export type SessionRecord = z.output<typeof sessionSchema>;
export type EventRecord = z.output<typeof eventSchema>;

export const parseSessionRecord = recordParser(sessionSchema);
export const parseEventRecord = recordParser(eventSchema);

const undecidedAsUndefined =
  <T>(fast: (v: unknown) => T | typeof SLOW) =>
  (raw: unknown): T | undefined => {
    const v = fast(raw);
    return v === SLOW ? undefined : v;
  };

/** For the equivalence tests: the generated fast checks alone (undefined = left to zod). */
export const fastChecks = {
  fastSession: undecidedAsUndefined(fastCheckOf(sessionSchema)),
  fastEvent: undecidedAsUndefined(fastCheckOf(eventSchema)),
};
