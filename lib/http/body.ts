import { badRequest, payloadTooLarge, unsupportedMediaType } from "@/lib/errors";
import { sanitizeJson } from "@/lib/ingest/clean";

/**
 * Reading request bodies with a hard size cap (SPEC 2.2: 16 KB, 2.4: 20 MB): Content-Length is
 * checked first, then the actual bytes while streaming, so a lying or missing header cannot make
 * the server buffer more than the cap. The pieces are exported for the self-hosted server's
 * collect door (lib/runtime/front-server.ts), which reads a node:http request the same way.
 */

/** The headers of a request as the readers use them: a web `Headers`, or the front server's view of node:http's. */
export type HeaderReader = { get(name: string): string | null };

export function tooLarge(maxBytes: number): ReturnType<typeof payloadTooLarge> {
  return payloadTooLarge(`The body exceeds ${formatBytes(maxBytes)}`);
}

/** 413 before reading anything when Content-Length already says the body is over the cap. */
export function assertDeclaredLength(headers: HeaderReader, maxBytes: number): void {
  const declared = headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

const utf8 = new TextDecoder("utf-8");

/** UTF-8 text of the body's bytes; invalid sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBodyBytes(req, maxBytes));
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body's text for the JSON write routes: 400 when its bytes are not UTF-8, so a broken byte
 * is never stored as U+FFFD in an id or a name (SPEC 21: refused, never silently changed).
 * Collect keeps readBodyText's lossy decoding: a browser's hit is kept, with U+FFFD in the value.
 */
export async function readBodyTextStrict(req: Request, maxBytes: number): Promise<string> {
  const bytes = await readBodyBytes(req, maxBytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8");
  }
}

/** The body's raw bytes under the cap (webhooks verify their HMAC over exactly these). */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  assertDeclaredLength(req.headers, maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${n / 1024} KB`;
}

/** JSON bodies may come as application/json or, from sendBeacon, text/plain. */
export function assertJsonContentType(req: { headers: HeaderReader }): void {
  const ct = req.headers.get("content-type");
  if (!ct) return;
  const mime = ct.split(";")[0].trim().toLowerCase();
  if (mime === "application/json" || mime === "text/plain" || mime.endsWith("+json")) return;
  throw unsupportedMediaType("Send JSON (Content-Type application/json or text/plain)");
}

/** The JSON document of a body's text: 400 when it is empty, not JSON, or holds unstorable text. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") throw badRequest("The body is empty; send a JSON document");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON");
  }
  // Text PostgreSQL cannot store is refused here for every JSON route, naming the field (SPEC 21).
  return sanitizeJson(value);
}

export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  assertJsonContentType(req);
  return parseJsonText(await readBodyTextStrict(req, maxBytes));
}
