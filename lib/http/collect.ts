import { getDb } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/errors";
import { readJsonBody } from "./body";
import { corsHeaders, DROPPED_HEADER, originAllowed, preflightResponse } from "./cors";
import { errorResponse } from "./errors";
import { collectEvent, MAX_COLLECT_BYTES, recordDrop } from "@/lib/ingest/collect";

/**
 * SPEC 2.2: the tracker's endpoint, written once for its two doors: the Next.js route
 * (app/api/collect/route.ts: `next dev`, Vercel) and the self-hosted server's fast path
 * (lib/runtime/front-server.ts: `npm start`, ahead of Next.js). Anonymous; every answer carries
 * the CORS headers. A dropped hit says why in X-Utmd-Dropped (SPEC 16): `bot` (202, like anyone
 * else) or `origin` (403, see cors.ts); drops and invalid hits are counted for tracker health.
 */

const INVALID = new Set(["invalid_input", "too_large", "unsupported_media_type"]);

export async function collectPost(req: Request): Promise<Response> {
  const cors = corsHeaders(req);
  if (!originAllowed(req)) {
    void getDb().then((db) => recordDrop(db, "origin"), () => undefined);
    cors.set(DROPPED_HEADER, "origin");
    return errorResponse(forbidden("This origin may not send events"), cors);
  }
  try {
    const body = await readJsonBody(req, MAX_COLLECT_BYTES);
    const outcome = await collectEvent(await getDb(), body, { headers: req.headers });
    // Duplicates are answered like anyone else: nothing to retry, nothing to learn.
    if (outcome === "bot") cors.set(DROPPED_HEADER, "bot");
    return Response.json({ ok: true }, { status: 202, headers: cors });
  } catch (err) {
    if (err instanceof AppError && INVALID.has(err.code)) void getDb().then((db) => recordDrop(db, "invalid"), () => undefined);
    return errorResponse(err, cors);
  }
}

export async function collectPreflight(req: Request): Promise<Response> {
  return preflightResponse(req);
}
