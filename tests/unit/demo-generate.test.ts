import { describe, expect, it } from "vitest";
import { generateDemo, type DemoChunk } from "@/lib/demo/generate";
import { createRng } from "@/lib/demo/prng";

const NOW = new Date("2026-05-15T12:00:00Z");

function collect(opts: Parameters<typeof generateDemo>[0]): DemoChunk[] {
  return [...generateDemo(opts)];
}

describe("demo generator", () => {
  it("gives identical records for the same seed and today, different ones for another seed", () => {
    const a = collect({ sessions: 600, seed: 7, now: NOW });
    const b = collect({ sessions: 600, seed: 7, now: NOW });
    const c = collect({ sessions: 600, seed: 8, now: NOW });
    expect(b[0].sessions.slice(0, 50)).toEqual(a[0].sessions.slice(0, 50));
    expect(b[0].events.slice(0, 200)).toEqual(a[0].events.slice(0, 200));
    expect(b.flatMap((x) => x.orders)).toEqual(a.flatMap((x) => x.orders));
    expect(c[0].sessions[0].id).not.toBe(a[0].sessions[0].id);
    expect(c[0].sessions.slice(0, 50)).not.toEqual(a[0].sessions.slice(0, 50));
  });

  it("produces exactly the requested sessions, in time order, inside the span and never after now", () => {
    const chunks = collect({ sessions: 2_000, seed: 1, days: 30, now: NOW });
    const sessions = chunks.flatMap((c) => c.sessions);
    expect(sessions.length).toBe(2_000);
    expect(chunks[chunks.length - 1].sessionsDone).toBe(2_000);
    const times = sessions.map((s) => Date.parse(s.started_at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    // 30 days including today: from 2026-04-16T00:00Z up to now.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse("2026-04-16T00:00:00Z"));
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
    const events = chunks.flatMap((c) => c.events);
    expect(Math.max(...events.map((e) => Date.parse(e.occurred_at)))).toBeLessThanOrEqual(NOW.getTime());
  });

  it("keeps every chunk within the batch API's 10,000-record limit and every event after its session's start", () => {
    const chunks = collect({ sessions: 5_000, seed: 3, days: 60, now: NOW });
    for (const c of chunks) expect(c.sessions.length + c.events.length + c.orders.length).toBeLessThanOrEqual(10_000);
    const started = new Map(chunks.flatMap((c) => c.sessions).map((s) => [s.id, s.started_at]));
    // Each event belongs to a session of the same or an earlier chunk (ingestion needs it).
    const bad = chunks
      .flatMap((c) => c.events)
      .filter((e) => !started.has(e.session_id) || Date.parse(e.occurred_at) < Date.parse(started.get(e.session_id)!));
    expect(bad).toEqual([]);
  });

  it("writes ad spend once per day and paid source+campaign", () => {
    const spend = collect({ sessions: 3_000, seed: 2, days: 20, now: NOW }).flatMap((c) => c.adSpend);
    const keys = spend.map((r) => `${r.date}|${r.utm_source}|${r.utm_campaign}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(spend.map((r) => r.utm_source))).toEqual(new Set(["google", "facebook", "instagram", "tiktok"]));
    expect(spend.every((r) => r.amount > 0)).toBe(true);
  });

  it("makes UUIDs a strict validator accepts (version 4, variant 1)", () => {
    const rng = createRng(42);
    for (let i = 0; i < 200; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
