import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { annotations } from "@/lib/db/schema-annotations";
import { dateInZone, paramSchemas, rangeInstants, type AnalyticsQuery, type Filters } from "./params";

/**
 * Annotations on the time-series chart (SPEC 20, docs/watch.md): notes the team writes (a day, a
 * short text, optionally the source and/or campaign they are about), plus two kinds found in the
 * data: alert incidents (the day one opened) and a campaign's first day of spend.
 *
 * Scoping: a note or a first day of spend that names a source or campaign is shown only in views
 * whose filters admit that value, so a share link scoped to `utm_source=google` never sees a
 * facebook note (SPEC 16/21: a share link sees nothing outside its selection). Alert incidents
 * describe the whole shop or a rule's own filters, so they are left out of shared views.
 */

export const ANNOTATION_TEXT_MAX = 280;
const DIM_MAX = 500;

const noNul = (s: string) => !s.includes("\u0000");
const dimension = (lower: boolean) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(DIM_MAX, `must be at most ${DIM_MAX} characters`)
    .refine(noNul, "must not contain NUL characters")
    .transform((s) => (s === "" ? null : lower ? s.toLowerCase() : s))
    .nullish()
    .transform((s) => s ?? null);

/** A note as a client sends it (the one parser of the POST body). */
export const annotationInputSchema = z.strictObject({
  date: paramSchemas.isoDate,
  text: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(ANNOTATION_TEXT_MAX, `must be at most ${ANNOTATION_TEXT_MAX} characters`)
    .refine(noNul, "must not contain NUL characters"),
  // Normalised like sessions' values (SPEC 3.1): sources lower-case, both trimmed.
  utm_source: dimension(true),
  utm_campaign: dimension(false),
});
export type AnnotationInput = z.output<typeof annotationInputSchema>;

export type AnnotationKind = "note" | "incident" | "spend_start";

export type Annotation = {
  kind: AnnotationKind;
  /** The note's or incident's id; null for a first day of spend (it has no row of its own). */
  id: number | null;
  date: string;
  /** The note's text, the incident's summary, or `source / campaign` for a first day of spend. */
  text: string;
  utm_source: string | null;
  utm_campaign: string | null;
};

export async function createAnnotation(db: Db, input: AnnotationInput, createdBy: number | null): Promise<Annotation> {
  const [row] = await db
    .insert(annotations)
    .values({ date: input.date, text: input.text, utmSource: input.utm_source, utmCampaign: input.utm_campaign, createdBy })
    .returning();
  return { kind: "note", id: row.id, date: row.date, text: row.text, utm_source: row.utmSource, utm_campaign: row.utmCampaign };
}

export async function deleteAnnotation(db: Db, id: number): Promise<boolean> {
  const gone = await db.delete(annotations).where(eq(annotations.id, id)).returning({ id: annotations.id });
  return gone.length > 0;
}

/** Whether a view's filters admit a dimension value (null: the annotation is not about one). */
export function admits(filters: Filters, key: "utm_source" | "utm_campaign", value: string | null): boolean {
  if (value === null) return true;
  const f = filters[key];
  if (!f) return true;
  if (f.is.length > 0 && !f.is.includes(value)) return false;
  return !f.not.includes(value);
}

const KIND_ORDER: Record<AnnotationKind, number> = { spend_start: 0, incident: 1, note: 2 };

/**
 * The annotations of a view's range that its filters admit, by date (then first days of spend,
 * incidents, notes; then id or source/campaign). `incidents: false` for shared views.
 */
export async function listAnnotations(db: Db, q: Pick<AnalyticsQuery, "range" | "filters" | "tz">, opts: { incidents: boolean }): Promise<Annotation[]> {
  const { start, end } = q.range;
  const notes = await rows<{ id: number; date: string; text: string; utm_source: string | null; utm_campaign: string | null }>(
    db,
    sql`select id, date::text as date, text, utm_source, utm_campaign from annotations where date between ${start}::date and ${end}::date`,
  );
  // A campaign's first day of spend over all its history, shown when that day is in the range.
  // ad_spend holds one row per day and campaign: small next to sessions, no index needed.
  const starts = await rows<{ date: string; utm_source: string; utm_campaign: string }>(
    db,
    sql`select min(date)::text as date, utm_source, utm_campaign from ad_spend where amount > 0
        group by utm_source, utm_campaign having min(date) between ${start}::date and ${end}::date`,
  );
  const out: Annotation[] = [
    ...notes.map((n) => ({ kind: "note" as const, ...n })),
    ...starts.map((s) => ({ kind: "spend_start" as const, id: null, date: s.date, text: `${s.utm_source} / ${s.utm_campaign}`, utm_source: s.utm_source, utm_campaign: s.utm_campaign })),
  ];
  if (opts.incidents) {
    const { from, to } = rangeInstants(q.range, q.tz);
    const incidents = await rows<{ id: number; opened_at: Date | string; summary: string }>(
      db,
      sql`select id, opened_at, summary from alert_incidents where opened_at >= ${from.toISOString()}::timestamptz and opened_at < ${to.toISOString()}::timestamptz`,
    );
    for (const i of incidents) {
      out.push({ kind: "incident", id: i.id, date: dateInZone(new Date(i.opened_at), q.tz), text: i.summary, utm_source: null, utm_campaign: null });
    }
  }
  return out
    .filter((a) => admits(q.filters, "utm_source", a.utm_source) && admits(q.filters, "utm_campaign", a.utm_campaign))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.id ?? 0) - (b.id ?? 0) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)));
}
