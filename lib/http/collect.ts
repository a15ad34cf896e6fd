import { getDb } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/errors";
import { assertJsonContentType, parseJsonText, readBodyText, type HeaderReader } from "./body";
import { corsHeaders, DROPPED_HEADER, originAllowed, preflightResponse } from "./cors";
import { errorAnswer, type Answer } from "./errors";
import { collectEvent, MAX_COLLECT_BYTES, recordDrop } from "@/lib/ingest/collect";

/**
 * SPEC 2.2: the tracker's endpoint, written once for its two doors: the Next.js route
 * (app/api/collect/route.ts: `next dev`, Vercel) and the self-hosted server's fast path
 * (lib/runtime/front-server.ts: `npm start`, ahead of Next.js, which hands over its node:http
 * request's headers and body without building a web Request and Response). Anonymous; every
 * answer carries the CORS headers. A dropped hit says why in X-Utmd-Dropped (SPEC 16): `bot`
 * (202, like anyone else) or `origin` (403, see cors.ts); drops and invalid hits are counted for
 * tracker health.
 */

const INVALID = new Set(["invalid_input", "too_large", "unsupported_media_type"]);

/** A collect POST as either door sees it: its headers, and its body's text read up to a cap. */
export type CollectRequest = { headers: HeaderReader; readText: (maxBytes: number) => Promise<string> };

export async function collectAnswer(req: CollectRequest): Promise<Answer> {
  const cors = corsHeaders(req);
  if (!originAllowed(req)) {
    void getDb().then((db) => recordDrop(db, "origin"), () => undefined);
    cors.set(DROPPED_HEADER, "origin");
    return errorAnswer(forbidden("This origin may not send events"), cors);
  }
  try {
    assertJsonContentType(req);
    const body = parseJsonText(await req.readText(MAX_COLLECT_BYTES));
    const outcome = await collectEvent(await getDb(), body, { headers: req.headers });
    // Duplicates are answered like anyone else: nothing to retry, nothing to learn.
    if (outcome === "bot") cors.set(DROPPED_HEADER, "bot");
    cors.set("content-type", "application/json");
    return { status: 202, headers: cors, body: JSON.stringify({ ok: true }) };
  } catch (err) {
    if (err instanceof AppError && INVALID.has(err.code)) void getDb().then((db) => recordDrop(db, "invalid"), () => undefined);
    return errorAnswer(err, cors);
  }
}

export async function collectPost(req: Request): Promise<Response> {
  const a = await collectAnswer({ headers: req.headers, readText: (maxBytes) => readBodyText(req, maxBytes) });
  return new Response(a.body, { status: a.status, headers: a.headers });
}

export async function collectPreflight(req: Request): Promise<Response> {
  return preflightResponse(req);
}
