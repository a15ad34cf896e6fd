import { getDb } from "@/lib/db/client";
import { forbidden, notFound } from "@/lib/errors";
import { withGuard, type Principal } from "@/lib/http/guard";
import { idParam } from "@/lib/http/id-param";
import { readJson } from "@/lib/http/json-body";
import { deleteView, listViews, saveView, viewInputSchema } from "@/lib/views/saved-views";

/**
 * Saved views (SPEC 20): the signed-in user's own named range + filters. Sessions only (a view
 * belongs to a person; tokens and share links have none); any role, since a viewer saves views
 * too. Cookie writes are same-origin JSON (the guard).
 */

function userId(principal: Principal): number {
  if (principal.kind !== "user") throw forbidden("Saved views belong to a signed-in user");
  return principal.user.id;
}

export const GET = withGuard({ role: "viewer" }, async (_req, { principal }) => Response.json({ views: await listViews(await getDb(), userId(principal)) }));

export const POST = withGuard({ role: "viewer", body: "json" }, async (req, { principal }) => {
  const input = await readJson(req, viewInputSchema, 16 * 1024);
  return Response.json(await saveView(await getDb(), userId(principal), input), { status: 201 });
});

export const DELETE = withGuard({ role: "viewer" }, async (req, { principal }) => {
  const id = idParam(new URL(req.url).searchParams);
  if (!(await deleteView(await getDb(), userId(principal), id))) throw notFound("No saved view with this id");
  return Response.json({ ok: true });
});
