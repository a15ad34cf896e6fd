import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJsonBody } from "@/lib/http/body";
import { ingestRefunds } from "@/lib/ingest/refunds";

/** SPEC 17.5: refunds of stored orders (Bearer token with the ingest scope), upserted by refund_id. */

export const dynamic = "force-dynamic";

/** 1,000 refunds of a couple of hundred bytes each; anything far larger is not refunds. */
const MAX_REFUNDS_BYTES = 1024 * 1024;

export const POST = withGuard({ scope: "ingest" }, async (req) => {
  const body = await readJsonBody(req, MAX_REFUNDS_BYTES);
  return Response.json(await ingestRefunds(await getDb(), body));
});
