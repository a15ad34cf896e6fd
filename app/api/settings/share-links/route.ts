import { createShareLink, createShareLinkSchema, listShareLinks, sharePath } from "@/lib/auth/share-links";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";

/** Share links: list and create (SPEC 6, 10: admins only). */
export const GET = withGuard({ role: "admin" }, async () => {
  const links = await listShareLinks(await getDb());
  return Response.json({ links: links.map((l) => ({ ...l, url: sharePath(l.token, l.params) })) });
});

export const POST = withGuard({ role: "admin", body: "json" }, async (req, { principal }) => {
  const input = await readJson(req, createShareLinkSchema);
  const link = await createShareLink(await getDb(), input, principal.kind === "user" ? principal.user.id : null);
  return Response.json({ ...link, url: sharePath(link.token, link.params) }, { status: 201 });
});
