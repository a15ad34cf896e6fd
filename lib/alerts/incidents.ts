import { sql } from "drizzle-orm";
import { rows, type Db } from "@/lib/db/client";

/** Alert incidents, newest first (settings page; the chart's automatic annotations read the table too). */

export type IncidentView = { id: number; rule_id: number | null; metric: string; summary: string; opened_at: string; resolved_at: string | null };

export async function listIncidents(db: Db, limit = 50): Promise<IncidentView[]> {
  return rows<IncidentView>(
    db,
    sql`select id::int as id, rule_id::int as rule_id, metric::text as metric, summary,
               to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as opened_at,
               to_char(resolved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as resolved_at
        from alert_incidents order by opened_at desc, id desc limit ${limit}`,
  );
}
