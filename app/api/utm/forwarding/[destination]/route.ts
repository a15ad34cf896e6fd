import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { withGuard } from "@/lib/http/guard";
import { readJsonBody } from "@/lib/http/body";
import { MAX_SETTINGS_JSON_BYTES } from "@/lib/http/json-body";
import { destinationOf, removeDestination, saveDestination } from "@/lib/forwarding/destinations";

type P = { destination: string };

/**
 * PUT: save a destination's settings (admins; cookie writes must come from the app's origin as
 * JSON). The answer shows the secret only as its hint. DELETE: remove it; its waiting events are
 * settled as skipped.
 */
export const PUT = withGuard<P>({ role: "admin", body: "json" }, async (req, { params }) => {
  const destination = destinationOf(params.destination);
  const body = await readJsonBody(req, MAX_SETTINGS_JSON_BYTES);
  return Response.json(await saveDestination(await getDb(), destination, body));
});

export const DELETE = withGuard<P>({ role: "admin" }, async (_req, { params }) => {
  const destination = destinationOf(params.destination);
  const removed = await removeDestination(await getDb(), destination);
  if (!removed) throw notFound(`${destination} is not configured`);
  return Response.json({ ok: true });
});
