import { z } from "zod";
import { parseAnalyticsQuery } from "@/lib/analytics/params";
import { createUtmLink, listUtmLinks } from "@/lib/analytics/utm-links";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";

/** GET: saved UTM links with their sessions, orders and revenue in the range (viewer or `read` token). */
export const GET = withGuard({ role: "viewer", scope: "read" }, async (req) => {
  const q = parseAnalyticsQuery(new URL(req.url).searchParams);
  return Response.json({ start_date: q.range.start, end_date: q.range.end, links: await listUtmLinks(await getDb(), q) });
});

const text = z.string().max(2000, "must be at most 2000 characters").optional();
const bodySchema = z.object({
  name: z.string().max(200, "must be at most 200 characters").nullish(),
  base_url: z.string({ error: "must be a URL" }).max(2000, "must be at most 2000 characters"),
  utm_source: text,
  utm_medium: text,
  utm_campaign: text,
  utm_content: text,
  utm_term: text,
});

/** POST: save a link after checking it against the naming rules (admins). */
export const POST = withGuard({ role: "admin", body: "json" }, async (req, { principal }) => {
  const input = await readJson(req, bodySchema);
  const link = await createUtmLink(await getDb(), input, principal.kind === "user" ? principal.user.id : null);
  return Response.json(link, { status: 201 });
});
