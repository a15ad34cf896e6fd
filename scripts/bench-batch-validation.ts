import { generateDemo } from "@/lib/demo/generate";
import type { Issue } from "@/lib/errors";
import { eventSchema, parseEventRecord, parseSessionRecord, sessionSchema } from "@/lib/ingest/batch-records";

/**
 * `npx tsx scripts/bench-batch-validation.ts [runs]`: times the validation of one 10,000-record
 * batch (the batch API's maximum) record by record, two ways taking turns, `runs` times each
 * (default 20, after 3 warm-ups), and prints the medians: the batch's record parsers (the fast
 * check generated from the schemas, zod for what it leaves undecided) and zod alone (safeParse of
 * the same schemas). Two batches: the demo data set's (every session carries a country, so it goes
 * through zod; events with product steps and properties) and tracker-like records (no country or
 * device, page views only). Records are cloned before each run, as a parsed request body would be
 * fresh. Times are the process's CPU time (not wall time), so other work on a shared machine
 * does not count. Issue 11 item 5: a fast path is kept only while zod alone is more than 2× slower.
 */

const runs = Number(process.argv[2] ?? 20);

type Batch = { name: string; sessions: unknown[]; events: unknown[] };

function demoBatch(): Batch {
  const sessions: unknown[] = [];
  const events: unknown[] = [];
  for (const chunk of generateDemo({ sessions: 6000, seed: 7, days: 30, now: new Date("2026-03-01T12:00:00Z"), maxRecords: 9_000 })) {
    if (sessions.length === 0) sessions.push(...chunk.sessions);
    events.push(...chunk.events);
    if (sessions.length + events.length >= 10_000) break;
  }
  return { name: "demo (country set, product steps)", sessions, events: events.slice(0, 10_000 - sessions.length) };
}

function trackerBatch(): Batch {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, "0");
  const uuid = (n: number) => `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`;
  const sessions: unknown[] = [];
  const events: unknown[] = [];
  for (let i = 0; i < 2000; i++) {
    const at = new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString();
    sessions.push({
      id: uuid(i),
      visitor_id: `v${i % 700}`,
      started_at: at,
      landing_url: `https://shop.example/p/${i % 50}?utm_source=google&utm_medium=cpc&utm_campaign=c${i % 9}`,
      referrer: i % 3 ? "https://www.google.com/" : null,
      user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    });
    for (let k = 0; k < 4; k++) {
      events.push({ id: uuid(1_000_000 + i * 4 + k), session_id: uuid(i), type: "page_view", occurred_at: at, path: `/p/${k}` });
    }
  }
  return { name: "tracker-like (no country/device)", sessions, events };
}

type Way = { name: string; session: (r: unknown) => unknown; event: (r: unknown) => unknown };

const ways: Way[] = [
  {
    name: "batch record parsers (fast + zod)",
    session: (r) => parseSessionRecord(r, "s", [] as Issue[]),
    event: (r) => parseEventRecord(r, "e", [] as Issue[]),
  },
  { name: "zod safeParse alone", session: (r) => sessionSchema.safeParse(r), event: (r) => eventSchema.safeParse(r) },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

for (const batch of [demoBatch(), trackerBatch()]) {
  const json = JSON.stringify(batch);
  console.log(`\n${batch.name}: ${batch.sessions.length} sessions + ${batch.events.length} events, ${runs} runs, median CPU ms`);
  // The ways take turns within each run, so a change in the machine's load hits both alike.
  const times = ways.map(() => [] as number[]);
  for (let run = 0; run < runs + 3; run++) {
    ways.forEach((way, w) => {
      const fresh = JSON.parse(json) as Batch;
      const t0 = process.cpuUsage();
      for (const s of fresh.sessions) way.session(s);
      for (const e of fresh.events) way.event(e);
      const cpu = process.cpuUsage(t0);
      const ms = (cpu.user + cpu.system) / 1000;
      if (run >= 3) times[w].push(ms); // three warm-up runs
    });
  }
  const base = median(times[0]);
  ways.forEach((way, w) => {
    const m = median(times[w]);
    console.log(`  ${way.name.padEnd(34)} ${m.toFixed(1).padStart(7)}  ${(m / base).toFixed(2)}×`);
  });
}
