import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodIssues, type Issue } from "@/lib/errors";
import { eventSchema, parseEventRecord, parseSessionRecord, sessionSchema } from "@/lib/ingest/batch-records";
import { fastCheckOf, nullishText, recordSchema, refuse, SLOW, textField, type Fast } from "@/lib/ingest/fields";
import { eventTypeSchema, instantSchema, optionalText, propertiesSchema, uuidSchema, visitorIdSchema } from "@/lib/ingest/schemas";

/**
 * The batch's fast path is generated from the zod field definitions (lib/ingest/fields.ts). Here
 * the same hostile inputs go to both: wherever the fast check decides, zod must accept with the
 * same output; and the batch's record parsers (fast check, then zod) must give exactly zod's
 * answer for every input: the same output, or the same issues with the same messages.
 */

const UUID = "0A000000-0000-4000-8000-00000000000F";
const uuid = "0a000000-0000-4000-8000-00000000000f";

/** Values no field should trust. */
const HOSTILE: unknown[] = [
  undefined, null, "", " ", "\t\n", 0, 1, -1, NaN, Infinity, true, false, [], [1], {}, { a: 1 },
  "a", " a ", "A", "__proto__", "constructor", "toString", "\u0000", "a\u0000b", "\ud800", "é", "😀",
  UUID, uuid, ` ${uuid}`, `${uuid} `, `{${uuid}}`, uuid.replace(/-/g, ""), uuid.slice(0, -1), `${uuid}0`, "g".repeat(36),
  "2026-03-01T10:00:00Z", "2026-03-01t10:00:00z", "2026-03-01 10:00:00+02:00", "2026-03-01T10:00:00+0200", "2026-03-01T10:00:00",
  "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-03-01T24:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
  "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-23:59", "0001-01-01T00:30:00+01:00", " 2026-03-01T10:00:00Z ",
  "2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00Z".padEnd(41, " "), "1740000000",
  "page_view", "custom", "Page_View", "purchase", " page_view",
  "mobile", "Mobile", " TABLET ", "fridge", "ua", "UA", "Ukraine", "(none)", "XX", "T1", " pl ",
  "x".repeat(63), "x".repeat(64), "x".repeat(65), "x".repeat(200), "x".repeat(201), " ".repeat(300), "x".repeat(4097),
  { b: "é".repeat(1000) }, { b: "é".repeat(1100) }, { nested: { deep: [1, { a: null }] } }, JSON.parse('{"__proto__":{"polluted":1}}'),
  Object.create(null), new Date(0), ["page_view"],
];

function sameAnswer<T>(fast: Fast<T>, schema: z.ZodType<T>, values: readonly unknown[]): number {
  let decided = 0;
  for (const v of values) {
    const f = fast(v);
    if (f === SLOW) continue;
    decided++;
    const z = schema.safeParse(v);
    expect(z.success, `zod refuses what the fast check accepted: ${JSON.stringify(v) ?? String(v)}`).toBe(true);
    expect(f).toEqual(z.data);
  }
  return decided;
}

describe("fast checks generated from the zod fields", () => {
  it("decide only what zod accepts, with zod's output, for every hostile value", () => {
    // Decided = accepted by the fast check; the counts are the HOSTILE entries each field takes:
    expect(sameAnswer(fastCheckOf(uuidSchema), uuidSchema, HOSTILE)).toBe(2); // UUID, uuid
    // …T…Z, …t…z, " " separator with +02:00, +0200, 2024-02-29, 9999-12-31T23:59:59.999Z,
    // " 2026-03-01T10:00:00Z " (trimmed, 22 ≤ 40 characters), the nine-digit fraction: 8
    expect(sameAnswer(fastCheckOf(instantSchema), instantSchema, HOSTILE)).toBe(8);
    // 63 strings: 3 + 11 + 9 (uuid-like) + 5 + 5 + 4 + 3 (instant-like) + 5 + 11 + 7 (lengths)
    const strings = HOSTILE.filter((v): v is string => typeof v === "string");
    expect(strings.length).toBe(63);
    // Strings of 1–64 characters: all but "", x×65, x×200, x×201, 300 spaces, x×4097: 63 - 6 = 57
    expect(sameAnswer(fastCheckOf(visitorIdSchema), visitorIdSchema, HOSTILE)).toBe(57);
    // undefined, null and the strings of ≤ 200 characters (63 - x×201, 300 spaces, x×4097 = 60): 62
    const name = optionalText(200);
    expect(sameAnswer(fastCheckOf(name), name, HOSTILE)).toBe(62);
    expect(sameAnswer(fastCheckOf(eventTypeSchema), eventTypeSchema, HOSTILE)).toBe(3); // page_view, custom, purchase
    // undefined, null, {}, {a:1}, é×1000 (6 + 2,000 + 2 = 2,008 bytes ≤ 2,048), nested, the
    // null-prototype object: 7 (é×1100 is 2,208 bytes; an own "__proto__" key is left to zod)
    expect(sameAnswer(fastCheckOf(propertiesSchema), propertiesSchema, HOSTILE)).toBe(7);
  });

  it("share one limit and one message with zod: the fast check stops where zod's issue starts", () => {
    const five = nullishText({ notString: "must be a string", max: [5, "must be at most 5 characters"], normalise: (s) => s.trim() || undefined });
    const fast = fastCheckOf(five);
    expect(fast(" 2345")).toBe("2345");
    expect(fast("123456")).toBe(SLOW);
    expect(five.safeParse("123456").error?.issues.map((i) => i.message)).toEqual(["must be at most 5 characters"]);
    expect(five.safeParse(7).error?.issues.map((i) => i.message)).toEqual(["must be a string"]);
    const code = textField({ notString: "must be a code", min: [2, "too short"], normalise: (s) => (s === "no" ? refuse("must not be no") : s.toUpperCase()) });
    expect(fastCheckOf(code)("ab")).toBe("AB");
    expect(fastCheckOf(code)("a")).toBe(SLOW);
    expect(code.safeParse("a").error?.issues.map((i) => i.message)).toEqual(["too short"]);
    expect(fastCheckOf(code)("no")).toBe(SLOW);
    expect(code.safeParse("no").error?.issues.map((i) => i.message)).toEqual(["must not be no"]);
  });

  it("are derived from the record's shape: a field without one leaves the record without one", () => {
    const withPlainField = recordSchema({ id: uuidSchema, note: z.string() });
    expect(() => fastCheckOf(withPlainField)).toThrow(/no fast check/);
    const built = recordSchema({ id: uuidSchema, note: optionalText(4) });
    // Unknown keys are stripped, as z.object strips them; the output has the shape's keys only.
    expect(fastCheckOf(built)({ id: UUID, note: " ab ", extra: 1 })).toEqual({ id: uuid, note: "ab" });
    expect(built.safeParse({ id: UUID, note: " ab ", extra: 1 }).data).toEqual({ id: uuid, note: "ab" });
  });
});

/** Every field of a valid record replaced by every hostile value, plus whole-record oddities. */
function variants(valid: Record<string, unknown>, fields: readonly string[]): unknown[] {
  const out: unknown[] = [valid, { ...valid, extra: "ignored" }, null, [], "record", 7, [valid]];
  for (const f of fields) {
    const { [f]: _dropped, ...without } = valid;
    void _dropped;
    out.push(without);
    for (const v of HOSTILE) out.push({ ...valid, [f]: v });
  }
  return out;
}

type Answer = { data: unknown } | { issues: Issue[] };

function answer(parse: (raw: unknown, path: string, issues: Issue[]) => unknown, raw: unknown): Answer {
  const issues: Issue[] = [];
  const data = parse(raw, "r", issues);
  return data === undefined ? { issues } : { data };
}

function zodAnswer(schema: z.ZodType, raw: unknown): Answer {
  const r = schema.safeParse(raw);
  return r.success ? { data: r.data } : { issues: zodIssues(r.error, "r") };
}

describe("the batch's record parsers give zod's answer for every hostile record", () => {
  it("sessions: each of 16 fields (utm_id of SPEC 18 included) × each hostile value", () => {
    const fields = Object.keys(sessionSchema.shape);
    expect(fields.length).toBe(16);
    const all = variants({ id: UUID, visitor_id: "v1", started_at: "2026-03-01T10:00:00+02:00", landing_url: " https://x.example/?utm_source=a ", user_agent: "Mozilla/5.0" }, fields);
    // 7 whole-record cases + 16 fields × (1 without + HOSTILE.length)
    expect(all.length).toBe(7 + 16 * (1 + HOSTILE.length));
    for (const raw of all) expect(answer(parseSessionRecord, raw)).toEqual(zodAnswer(sessionSchema, raw));
  });

  it("events: each of 7 fields × each hostile value, as a page view and as a custom event", () => {
    const fields = Object.keys(eventSchema.shape);
    expect(fields.length).toBe(7);
    const all = [
      ...variants({ id: UUID, session_id: uuid, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", path: "/a" }, fields),
      ...variants({ id: UUID, session_id: uuid, type: "custom", name: " signup ", occurred_at: "2026-03-01T10:00:00Z", properties: { plan: "pro" } }, fields),
    ];
    expect(all.length).toBe(2 * (7 + 7 * (1 + HOSTILE.length)));
    const messages = new Set<string>();
    for (const raw of all) {
      const z = zodAnswer(eventSchema, raw);
      expect(answer(parseEventRecord, raw)).toEqual(z);
      if ("issues" in z) for (const i of z.issues) messages.add(i.message);
    }
    // A custom event without a usable name is refused by the record rule, on both paths.
    expect(messages).toContain("is required for custom events");
  });
});
