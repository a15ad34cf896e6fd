import type { DbHandle } from "@/lib/db/client";
import { forwardPass, type PassOptions } from "./sender";

/**
 * The in-process sender (SPEC 19), started with the server (lib/runtime/run-app.ts) on a
 * connection of its own: a pass every FORWARD_POLL_MS (one indexed look when nothing is due), at
 * once again while passes keep finding work. A failed pass (the database away) is logged once per
 * run of failures and the loop goes on: the rows wait in the outbox, nothing is lost. stop()
 * waits for a running pass.
 */

export type ForwardLoop = { stop: () => Promise<void> };

export function startForwarder(open: () => Promise<DbHandle>, opts: PassOptions & { everyMs: number; log: (line: string) => void }): ForwardLoop {
  let handle: DbHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;

  const pass = async (): Promise<boolean> => {
    try {
      handle ??= await open();
      const r = await forwardPass(handle.db, opts);
      failing = false;
      return r.sent + r.retried + r.failed + r.skipped > 0;
    } catch (err) {
      if (!failing && !stopped) opts.log(`forwarding pass failed: ${(err as Error).message} (the outbox keeps the events; tried again in ${opts.everyMs / 1000} s)`);
      failing = true;
      return false;
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().then(
        (busy) => {
          running = undefined;
          schedule(busy ? 0 : opts.everyMs);
        },
        () => undefined,
      );
    }, ms);
    timer.unref();
  };
  schedule(opts.everyMs);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await handle?.close().catch(() => {});
    },
  };
}
