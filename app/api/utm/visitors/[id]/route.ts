import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { badRequest, zodIssues } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { eraseVisitor } from "@/lib/ingest/erase";

/** SPEC 10: DELETE /api/utm/visitors/{id} (admin) erases one visitor's sessions and events. */

export const dynamic = "force-dynamic";

const idSchema = z.string().min(1, "must not be empty").max(64, "must be at most 64 characters");

export const DELETE = withGuard<{ id: string }>({ role: "admin" }, async (_req, { params }) => {
  const r = idSchema.safeParse(params.id);
  if (!r.success) throw badRequest("Invalid visitor id", zodIssues(r.error, "id"));
  const erased = await eraseVisitor(await getDb(), r.data);
  return Response.json({ visitor_id: r.data, ...erased });
});
