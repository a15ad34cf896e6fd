import { sql } from "drizzle-orm";
import { z } from "zod";
import { FILTER_PARAM_NAMES } from "@/lib/analytics/vocabulary";
import { MAX_FILTER_VALUES, parseFilters, type Filters } from "@/lib/analytics/params";
import { rows, type Db } from "@/lib/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { isStorableText } from "@/lib/ids";
import { ALERT_CONDITIONS, ALERT_METRICS, FILTERABLE_METRICS, MAX_WINDOW_HOURS, type AlertCondition, type AlertMetric } from "./vocabulary";

/**
 * Alert rules (SPEC 20): a metric, the dashboard's filters (stored as lib/analytics Filters, read
 * back through the same filterConditions), a condition and the channels to tell. Admin-only writes
 * go through the alerts route; the domain validates once here.
 */

export type AlertRule = {
  id: number;
  name: string;
  metric: AlertMetric;
  filters: Filters;
  condition: AlertCondition;
  threshold: number;
  window_hours: number;
  channel_ids: number[];
  created_at: string;
};

const filterValue = z.string({ error: "must be a string" }).max(500, "must be at most 500 characters");

export const ruleInput = z
  .strictObject({
    name: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(120, "must be at most 120 characters")
      .refine(isStorableText, "must not contain NUL characters or lone UTF-16 surrogates"),
    metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(", ")}` }),
    filters: z
      .record(z.string(), z.union([filterValue, z.array(filterValue).max(MAX_FILTER_VALUES, `must have at most ${MAX_FILTER_VALUES} values`)]), { error: "must be an object of filters" })
      .superRefine((f, ctx) => {
        for (const k of Object.keys(f)) if (!FILTER_PARAM_NAMES.includes(k)) ctx.addIssue({ code: "custom", path: [k], message: "is not a filter (see the dashboard's filter names)" });
      })
      .default({}),
    condition: z.enum(ALERT_CONDITIONS, { error: `must be one of ${ALERT_CONDITIONS.join(", ")}` }),
    threshold: z.number({ error: "must be a number" }).finite("must be a finite number").min(0, "must be at least 0").max(1e12, "must be at most 1e12"),
    window_hours: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(MAX_WINDOW_HOURS, `must be at most ${MAX_WINDOW_HOURS}`).default(1),
    channel_ids: z.array(z.number({ error: "must be channel ids" }).int().min(1).max(2_147_483_647), { error: "must be a list of channel ids" }).max(20, "must have at most 20 channels").default([]),
  })
  .superRefine((r, ctx) => {
    if ((r.condition === "drop" || r.condition === "rise") && !(r.threshold > 0)) ctx.addIssue({ code: "custom", path: ["threshold"], message: "must be a percentage above 0" });
    if (r.condition === "drop" && r.threshold > 100) ctx.addIssue({ code: "custom", path: ["threshold"], message: "a drop is at most 100 %" });
    if (Object.keys(r.filters).length && !FILTERABLE_METRICS.includes(r.metric)) ctx.addIssue({ code: "custom", path: ["filters"], message: `${r.metric} takes no filters` });
  });
export type RuleInput = z.input<typeof ruleInput>;

function prefixed(err: unknown, prefix: string): never {
  if (err instanceof AppError && err.issues) throw badRequest("Invalid input", err.issues.map((i) => ({ path: `${prefix}.${i.path}`, message: i.message })));
  throw err;
}

const columns = sql`r.id::int as id, r.name::text as name, r.metric::text as metric, r.filters, r.condition::text as condition,
  r.threshold::float8 as threshold, r.window_hours::int as window_hours,
  coalesce((select array_agg(rc.channel_id::int order by rc.channel_id) from alert_rule_channels rc where rc.rule_id = r.id), '{}') as channel_ids,
  to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at`;

export async function listRules(db: Db): Promise<AlertRule[]> {
  const list = await rows<AlertRule>(db, sql`select ${columns} from alert_rules r order by r.id`);
  return list.map((r) => ({ ...r, channel_ids: (r.channel_ids ?? []).map(Number) }));
}

export async function createRule(db: Db, input: unknown): Promise<AlertRule> {
  const parsed = ruleInput.safeParse(input);
  if (!parsed.success) {
    // One message per field: a value past two limits is told the first.
    const byPath = new Map<string, string>();
    for (const i of parsed.error.issues) if (!byPath.has(i.path.join(".") || "(root)")) byPath.set(i.path.join(".") || "(root)", i.message);
    throw badRequest("Invalid input", [...byPath].map(([path, message]) => ({ path, message })));
  }
  const r = parsed.data;
  let filters: Filters;
  try {
    filters = parseFilters(r.filters);
  } catch (err) {
    prefixed(err, "filters");
  }
  const ids = [...new Set(r.channel_ids)];
  if (ids.length) {
    const found = await rows<{ id: number }>(db, sql`select id::int as id from notify_channels where id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
    const missing = ids.filter((i) => !found.some((f) => f.id === i));
    if (missing.length) throw badRequest("Invalid input", [{ path: "channel_ids", message: `no channel with id ${missing.join(", ")}` }]);
  }
  const channelValues = ids.length ? sql`(select id, unnest(array[${sql.join(ids.map((i) => sql`${i}::int`), sql`, `)}]) from created)` : sql`(select id, null::int from created where false)`;
  const [row] = await rows<{ id: number }>(
    db,
    sql`with created as (
          insert into alert_rules (name, metric, filters, condition, threshold, window_hours)
          values (${r.name}, ${r.metric}, ${JSON.stringify(filters)}::jsonb, ${r.condition}, ${r.threshold}, ${r.window_hours})
          returning id),
        linked as (insert into alert_rule_channels (rule_id, channel_id) ${channelValues} returning 1)
        select id::int as id from created`,
  );
  const [rule] = (await listRules(db)).filter((x) => x.id === row.id);
  return rule;
}

/** Deleting a rule closes its open incident (no message: nobody watches it any more); history stays. */
export async function removeRule(db: Db, id: number, now: Date): Promise<boolean> {
  await db.execute(sql`update alert_incidents set resolved_at = ${now.toISOString()}::timestamptz where rule_id = ${id} and resolved_at is null`);
  return (await rows<{ id: number }>(db, sql`delete from alert_rules where id = ${id} returning id::int as id`)).length > 0;
}
