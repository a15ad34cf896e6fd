import { annotationInputSchema, createAnnotation, deleteAnnotation, listAnnotations } from "@/lib/analytics/annotations";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { analyticsRoute } from "@/lib/http/analytics-route";
import { withGuard } from "@/lib/http/guard";
import { idParam } from "@/lib/http/id-param";
import { readJson } from "@/lib/http/json-body";

/**
 * GET (SPEC 20): the annotations of a range that its filters admit: notes, first days of spend and,
 * except for share links, alert incidents. Readable by whoever reads the dashboard; a share link
 * gets only those inside its range and selection (analyticsRoute keeps the query inside the link).
 */
export const GET = analyticsRoute(async ({ db, q, principal }) => ({
  start_date: q.range.start,
  end_date: q.range.end,
  annotations: await listAnnotations(db, q, { incidents: principal.kind !== "share" }),
}));

/** POST: a note `{date, text, utm_source?, utm_campaign?}` (admins; cookie writes same-origin JSON). */
export const POST = withGuard({ role: "admin", body: "json" }, async (req, { principal }) => {
  const input = await readJson(req, annotationInputSchema, 4 * 1024);
  const created = await createAnnotation(await getDb(), input, principal.kind === "user" ? principal.user.id : null);
  return Response.json(created, { status: 201 });
});

/** DELETE `?id=N`: removes a note (admins); incidents and spend days are not notes. */
export const DELETE = withGuard({ role: "admin" }, async (req) => {
  const id = idParam(new URL(req.url).searchParams);
  if (!(await deleteAnnotation(await getDb(), id))) throw notFound("No annotation with this id");
  return Response.json({ ok: true });
});
