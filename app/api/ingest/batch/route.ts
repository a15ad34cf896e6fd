import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJsonBody } from "@/lib/http/body";
import { ingestBatch, MAX_BATCH_BYTES } from "@/lib/ingest/batch";

/** SPEC 2.4: backfill of sessions, events and orders (Bearer token with the ingest scope). */

export const dynamic = "force-dynamic";

export const POST = withGuard({ scope: "ingest" }, async (req) => {
  const body = await readJsonBody(req, MAX_BATCH_BYTES);
  return Response.json(await ingestBatch(await getDb(), body));
});
