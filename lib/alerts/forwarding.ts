import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";

/**
 * "Forwarding failures" reads the conversion-forwarding outbox (SPEC 19, lib/forwarding), which is
 * being built beside this; until its table exists the metric is refused, not guessed.
 */
export async function forwardingAvailable(db: Db): Promise<boolean> {
  const [r] = await rows<{ ok: boolean }>(db, sql`select to_regclass('public.forwarding_outbox') is not null as ok`);
  return Boolean(r?.ok);
}
