import type { Db } from "@/lib/db/client";
import { isDataError, isRetryableConflict } from "@/lib/db/pg-errors";
import { isDbUnavailable } from "@/lib/db/unavailable";
import { badRequest } from "@/lib/errors";
import { addCounters, minuteOf, pruneTrackerCounters, RETENTION_MS, type CounterRow, type DropReason } from "./tracker-health";
import { preparedTransaction } from "./sql-util";
import { addedEvents, addEvents, addEventsStatement, createSessions, createSessionsStatement, type EventDelta, type EventRow, type SessionRow } from "./write-sessions";

/**
 * Group commit for the tracker endpoint (SPEC 9: ≥3,000 events/s in one process). Concurrent
 * collect requests are written together: while one flush runs, new events queue up, and the next
 * flush stores all of them with two set-based statements (create missing sessions; insert events
 * and add them to their sessions' facts), written by write-sessions.ts, the batch's write path
 * too. A request is answered only after the flush that holds its event has committed, so "accepted" still means "stored" (SPEC 10), and one commit carries
 * many events instead of one. With no concurrency a flush holds one event and costs what a
 * single insert would.
 *
 * One bad event never fails or slows the others (issue 10): everything is validated and cleaned
 * before it is queued, so a flush should not fail on data; if one still does for a reason other
 * than the database being unavailable, the batch is split in halves and each half flushed again
 * (bisection: k bad events among n cost about 2·k·log2(n) flushes, not n), and an event that fails
 * on its own for a data reason is answered as invalid input (400), never 500.
 *
 * The same flush counts the stored events per minute in `tracker_counters` (tracker health,
 * SPEC 16; one upsert inside the event statement). Hits dropped before the queue (bots, refused
 * origins, invalid bodies) are summed in memory and written with the next flush.
 */

/** The session an event creates when it is the session's first (write-sessions.ts createSessions). */
export type NewSession = SessionRow & { landing_url: string };

/** An event and what it adds to its session's facts (write-sessions.ts addEvents). */
export type QueuedEvent = EventRow & EventDelta;

export type Outcome = "stored" | "duplicate";

type Item = { event: QueuedEvent; session: NewSession; resolve: (o: Outcome) => void; reject: (e: unknown) => void };

/** A flush never carries more than this; the rest waits for the next one. */
const MAX_FLUSH = 1000;
/** Sessions this process saw stored recently: their events skip the create-session statement. */
const KNOWN_MAX = 100_000;
/** Dropped-hit counters kept in memory while the database cannot take them (distinct minutes × kinds). */
const DROPS_MAX = 10_000;
/** Old counter rows are pruned at most this often per process. */
const PRUNE_EVERY_MS = 3600_000;

class CollectQueue {
  private items: Item[] = [];
  private running = false;
  private known = new Set<string>();
  private drops = new Map<string, CounterRow>();
  private lastPrune = 0;
  /** Flush attempts so far (tests check that a bad event does not make the queue go one by one). */
  flushes = 0;

  constructor(private readonly db: Db) {}

  push(event: QueuedEvent, session: NewSession): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.items.push({ event, session, resolve, reject });
      this.wake();
    });
  }

  /** Counts a dropped hit; written with the next flush (best effort: a drop is never acknowledged). */
  drop(reason: DropReason, at: Date): void {
    const minute = minuteOf(at);
    const kind = `drop:${reason}`;
    const key = `${minute}|${kind}`;
    const row = this.drops.get(key);
    const last = at.toISOString();
    if (row) {
      row.count++;
      if (last > row.last_at) row.last_at = last;
    } else if (this.drops.size < DROPS_MAX) {
      this.drops.set(key, { minute, kind, count: 1, last_at: last });
    }
    this.wake();
  }

  /** True while a flush runs or events wait for one. */
  busy(): boolean {
    return this.running || this.items.length > 0;
  }

  private wake(): void {
    if (!this.running) {
      this.running = true;
      // Let requests arriving in the same turn of the event loop join the first flush.
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    let dropsFailed = false;
    try {
      for (;;) {
        if (this.items.length > 0) {
          await this.settle(this.items.splice(0, MAX_FLUSH));
        } else if (this.drops.size > 0 && !dropsFailed) {
          dropsFailed = !(await this.writeDrops());
        } else {
          break;
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Flushes a batch and answers every item; on a failure that is not the database's, bisects. */
  private async settle(batch: Item[]): Promise<void> {
    let err: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const stored = await this.flush(batch);
        for (const it of batch) it.resolve(stored.has(it) ? "stored" : "duplicate");
        await this.maybePrune(batch);
        return;
      } catch (e) {
        err = e;
        // A deadlock with another process: the same batch again, after a short pause.
        if (!isRetryableConflict(e)) break;
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
      }
    }
    if (isDbUnavailable(err)) {
      for (const it of batch) it.reject(err);
      return;
    }
    if (batch.length === 1) {
      batch[0].reject(isDataError(err) ? badRequest("The event holds a value that cannot be stored") : err);
      return;
    }
    const half = Math.ceil(batch.length / 2);
    await this.settle(batch.slice(0, half));
    await this.settle(batch.slice(half));
  }

  /** Writes the dropped-hit counters; false (and they are kept) when the database refuses them. */
  private async writeDrops(): Promise<boolean> {
    const rows = [...this.drops.values()];
    this.drops.clear();
    try {
      await addCounters(this.db, rows);
      return true;
    } catch {
      for (const r of rows) {
        const key = `${r.minute}|${r.kind}`;
        const cur = this.drops.get(key);
        if (cur) {
          cur.count += r.count;
          if (r.last_at > cur.last_at) cur.last_at = r.last_at;
        } else if (this.drops.size < DROPS_MAX) this.drops.set(key, r);
      }
      return false;
    }
  }

  /** At most once an hour: counter rows older than two days before the newest event go. */
  private async maybePrune(batch: Item[]): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    let newest = 0;
    for (const it of batch) newest = Math.max(newest, Date.parse(it.event.occurred_at));
    try {
      await pruneTrackerCounters(this.db, new Date(newest - RETENTION_MS));
    } catch {
      /* health counters are not worth failing ingestion for; next hour again */
    }
  }

  /** Stores a batch; answers the items whose event was written (the first of each event id). */
  private async flush(batch: Item[]): Promise<Set<Item>> {
    this.flushes++;
    const firstOfId = new Map<string, Item>();
    for (const it of batch) if (!firstOfId.has(it.event.id)) firstOfId.set(it.event.id, it);
    const items = [...firstOfId.values()];

    const unknown = firstSessionOf(items.filter((it) => !this.known.has(it.event.session_id)));
    const events = items.map((it) => it.event);
    // Both statements in one transaction and one round trip: the second sees the sessions the
    // first wrote, and one commit (one WAL flush, ~3 ms on this disk) carries the flush. Flushes
    // run one after the other, so the commit's latency bounds throughput (issue 22: two commits
    // per flush made it 2,757 events/s).
    const got = await preparedTransaction(this.db, unknown.length > 0 ? [createSessionsStatement(unknown), addEventsStatement(events)] : [addEventsStatement(events)]);
    let result = addedEvents(got[got.length - 1] as Parameters<typeof addedEvents>[0]);
    if (result.missing.length > 0) {
      // Sessions this process believed stored are gone (erased, or a test truncated the tables).
      const missing = new Set(result.missing);
      const retry = items.filter((it) => missing.has(it.event.id));
      for (const it of retry) this.known.delete(it.event.session_id);
      await createSessions(this.db, firstSessionOf(retry));
      const again = await addEvents(this.db, retry.map((it) => it.event));
      result = { stored: [...result.stored, ...again.stored], missing: again.missing };
    }
    if (this.known.size > KNOWN_MAX) this.known.clear();
    for (const it of items) this.known.add(it.event.session_id);
    const stored = new Set(result.stored);
    return new Set(items.filter((it) => stored.has(it.event.id)));
  }
}

/** The session of each session id's first event in the flush: the first event creates it. */
function firstSessionOf(items: readonly Item[]): NewSession[] {
  const bySession = new Map<string, NewSession>();
  for (const it of items) if (!bySession.has(it.session.id)) bySession.set(it.session.id, it.session);
  return [...bySession.values()];
}

const queues = new WeakMap<Db, CollectQueue>();

function queueOf(db: Db): CollectQueue {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new CollectQueue(db)));
  return q;
}

export function enqueueEvent(db: Db, event: QueuedEvent, session: NewSession): Promise<Outcome> {
  return queueOf(db).push(event, session);
}

/** Counts a hit dropped before the queue (tracker health); written with the next flush. */
export function enqueueDrop(db: Db, reason: DropReason, at: Date = new Date()): void {
  queueOf(db).drop(reason, at);
}

/** Flush attempts of this database's queue so far (for tests). */
export function collectFlushCount(db: Db): number {
  return queueOf(db).flushes;
}

/** Resolves once the queue has written everything it holds (tests; a graceful stop). */
export async function collectQueueIdle(db: Db): Promise<void> {
  const q = queueOf(db);
  await new Promise((r) => setImmediate(r));
  while (q.busy()) await new Promise((r) => setTimeout(r, 2));
}
