import { describe, expect, it } from "vitest";
import { eventSchema, fastChecks, parseEventRecord, parseSessionRecord, sessionSchema } from "@/lib/ingest/batch-records";
import type { Issue } from "@/lib/errors";

/**
 * The batch's fast record checks must accept only what the zod schemas accept and return exactly
 * the schemas' output; everything else must fall through to zod and its issues.
 */

const SID = "0A000000-0000-4000-8000-000000000001";
const sessions: unknown[] = [
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T12:00:00+02:00", landing_url: " https://x.example/?utm_source=a ", utm_source: "  ", browser: "Chrome", os: null },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", country: "ua", device: "Mobile" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", country: "", device: " " },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", country: "(none)" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", country: "Ukraine" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", device: "fridge" },
  { id: SID, visitor_id: "", started_at: "2026-03-01T10:00:00Z" },
  { id: SID, visitor_id: "x".repeat(65), started_at: "2026-03-01T10:00:00Z" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00" },
  { id: SID, visitor_id: "v", started_at: "2026-02-30T10:00:00Z" },
  { id: "nope", visitor_id: "v", started_at: "2026-03-01T10:00:00Z" },
  { id: SID, visitor_id: 7, started_at: "2026-03-01T10:00:00Z" },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", utm_campaign: "c".repeat(501) },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", utm_campaign: 5 },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", user_agent: "u".repeat(1001) },
  { id: SID, visitor_id: "v", started_at: "2026-03-01T10:00:00Z", extra: "ignored" },
  [],
  null,
  "session",
];
const events: unknown[] = [
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
  { id: SID, session_id: SID, type: "custom", name: " signup ", occurred_at: "2026-03-01T10:00:00Z", path: "/a", properties: { a: 1 } },
  { id: SID, session_id: SID, type: "custom", occurred_at: "2026-03-01T10:00:00Z" },
  { id: SID, session_id: SID, type: "custom", name: "  ", occurred_at: "2026-03-01T10:00:00Z" },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", properties: {} },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", properties: [] },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", properties: "x" },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", properties: { b: "é".repeat(1100) } },
  { id: SID, session_id: SID, type: "purchase", occurred_at: "2026-03-01T10:00:00Z" },
  { id: SID, session_id: SID, type: "page_view", occurred_at: 1740000000 },
  { id: SID, session_id: "x", type: "page_view", occurred_at: "2026-03-01T10:00:00Z" },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", name: "n".repeat(201) },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", path: "p".repeat(2049) },
  { id: SID, session_id: SID, type: "page_view", occurred_at: "2026-03-01T10:00:00Z", name: "ignored for page views" },
];

describe("batch record checks", () => {
  it("fast session check ⊆ zod, with identical output", () => {
    let fastAccepted = 0;
    for (const raw of sessions) {
      const fast = fastChecks.fastSession(raw);
      const zod = sessionSchema.safeParse(raw);
      if (fast) {
        fastAccepted++;
        expect(zod.success).toBe(true);
        expect(fast).toEqual(zod.data);
      }
      const issues: Issue[] = [];
      const got = parseSessionRecord(raw, "sessions[0]", issues);
      expect(got === undefined).toBe(!zod.success);
      if (zod.success) expect(got).toEqual(zod.data);
      else expect(issues.length).toBeGreaterThan(0);
    }
    // Records without a country/device value take the fast path: cases 1, 2, 4 (empty ones), 17.
    expect(fastAccepted).toBe(4);
  });

  it("fast event check ⊆ zod, with identical output", () => {
    let fastAccepted = 0;
    for (const raw of events) {
      const fast = fastChecks.fastEvent(raw);
      const zod = eventSchema.safeParse(raw);
      if (fast) {
        fastAccepted++;
        expect(zod.success).toBe(true);
        expect(fast).toEqual(zod.data);
      }
      const issues: Issue[] = [];
      const got = parseEventRecord(raw, "events[0]", issues);
      expect(got === undefined).toBe(!zod.success);
      if (zod.success) expect(got).toEqual(zod.data);
      else expect(issues.map((i) => i.path.startsWith("events[0]"))).not.toContain(false);
    }
    // Valid: cases 1, 2, 5 (empty properties), 14 (name kept but unused for page views) and the purchase event (a type since SPEC 17.1).
    expect(fastAccepted).toBe(5);
  });
});
