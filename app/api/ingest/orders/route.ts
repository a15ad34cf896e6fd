import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJsonBody } from "@/lib/http/body";
import { ingestOrders } from "@/lib/ingest/orders";

/** SPEC 2.3: orders from the shop's backend (Bearer token with the ingest scope). */

export const dynamic = "force-dynamic";

/** 1,000 orders of a few hundred bytes each fit comfortably; anything far larger is not orders. */
const MAX_ORDERS_BYTES = 2 * 1024 * 1024;

export const POST = withGuard({ scope: "ingest" }, async (req) => {
  const body = await readJsonBody(req, MAX_ORDERS_BYTES);
  return Response.json(await ingestOrders(await getDb(), body));
});
