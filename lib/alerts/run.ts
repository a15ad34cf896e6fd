import type { Db } from "@/lib/db/client";
import { evaluateRules, type RuleOutcome } from "./evaluate";
import { pendingDeliveries, processOutbox, type OutboxSummary } from "./outbox";

/**
 * One cron run: evaluate every rule for the last complete hour, then send what the outbox owes
 * (this run's messages and earlier failures that are due) until the budget is spent. The budget
 * keeps the cron answer under 10 s whatever the channels do.
 */

export const CRON_BUDGET_MS = 7_000;

export type AlertRun = { at: string; rules: RuleOutcome[]; opened: number; resolved: number; deliveries: OutboxSummary & { pending: number } };

export async function runAlerts(db: Db, opts: { now: Date; budgetMs?: number; readDb?: Db; startedAt?: number }): Promise<AlertRun> {
  const deadline = (opts.startedAt ?? Date.now()) + (opts.budgetMs ?? CRON_BUDGET_MS);
  const rules = await evaluateRules(db, opts.now, opts.readDb ?? db);
  const sent = await processOutbox(db, { now: opts.now, deadline });
  return {
    at: opts.now.toISOString(),
    rules,
    opened: rules.filter((r) => r.action === "opened").length,
    resolved: rules.filter((r) => r.action === "resolved").length,
    deliveries: { ...sent, pending: await pendingDeliveries(db) },
  };
}
