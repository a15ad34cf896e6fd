/**
 * The one parser of ids for the whole app (SPEC 16: an id that is not valid text or not of the
 * expected form gives 400/404 before any query). Each parser answers the canonical id, or
 * undefined when the value cannot name anything stored; the caller chooses 400 or 404.
 *
 *   uuid       sessions, events, share links: 8-4-4-4-12 hex, stored lower-case
 *   numeric    users, API tokens, subscriptions: a serial key 1 … 999,999,999
 *   visitor    the tracker's visitor id: 1–64 characters of storable text
 */

const UUID_FORM = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID = new RegExp(`^${UUID_FORM}$`, "i");
/** Every uuid inside a text (log redaction). */
export const UUIDS_IN_TEXT = new RegExp(`\\b${UUID_FORM}\\b`, "gi");
const NUMERIC = /^[1-9]\d{0,8}$/;
/** NUL (PostgreSQL text refuses it) and lone UTF-16 surrogates (what undecodable UTF-8 leaves). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const MAX_VISITOR_ID = 64;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A UUID, lower-cased; undefined for anything else. */
export function parseUuid(value: unknown): string | undefined {
  return isUuid(value) ? value.toLowerCase() : undefined;
}

/** A positive serial key written in plain decimal (no sign, no leading zero, no exponent). */
export function parseNumericId(value: unknown): number | undefined {
  return typeof value === "string" && NUMERIC.test(value) ? Number(value) : undefined;
}

/** Text PostgreSQL can store: no NUL, no lone surrogate. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Why a visitor id is refused, or undefined when it is one (1–64 characters of storable text). */
export function visitorIdProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length < 1) return "must not be empty";
  if (value.length > MAX_VISITOR_ID) return `must be at most ${MAX_VISITOR_ID} characters`;
  if (!isStorableText(value)) return "must be valid text (no NUL, valid UTF-8)";
  return undefined;
}

export function parseVisitorId(value: unknown): string | undefined {
  return visitorIdProblem(value) === undefined ? (value as string) : undefined;
}
