import { getDb } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { visitorIdProblem } from "@/lib/ids";
import { eraseVisitor } from "@/lib/ingest/erase";

/**
 * SPEC 10/16: DELETE /api/utm/visitors/{id} (admin) erases one visitor: events deleted, sessions
 * anonymised, orders detached. The id is checked before any query (NUL, undecodable text → 400).
 */

export const dynamic = "force-dynamic";

export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const problem = visitorIdProblem(params.id);
  if (problem) throw badRequest("Invalid visitor id", [{ path: "id", message: problem }]);
  const erased = await eraseVisitor(await getDb(), params.id);
  return Response.json({ visitor_id: params.id, ...erased });
});
