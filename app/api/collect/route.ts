import { getDb } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/errors";
import { withGuard } from "@/lib/http/guard";
import { readJsonBody } from "@/lib/http/body";
import { collectEvent, MAX_COLLECT_BYTES } from "@/lib/ingest/collect";
import { assertOriginAllowed, corsHeaders, preflightResponse } from "@/lib/http/cors";

/** SPEC 2.2: the tracker's endpoint. Anonymous; every answer carries the CORS headers. */

export const dynamic = "force-dynamic";

export const POST = withGuard({ public: true }, async (req) => {
  const cors = corsHeaders(req);
  try {
    assertOriginAllowed(req);
    const body = await readJsonBody(req, MAX_COLLECT_BYTES);
    await collectEvent(await getDb(), body, { headers: req.headers });
    // Bots and duplicates are answered like anyone else: nothing to retry, nothing to learn.
    return Response.json({ ok: true }, { status: 202, headers: cors });
  } catch (err) {
    return errorResponse(err, cors);
  }
});

export const OPTIONS = withGuard({ public: true }, async (req) => preflightResponse(req));
