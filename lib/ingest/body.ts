import { ApiError, badRequest, payloadTooLarge } from "@/lib/http/errors";

/**
 * Reading request bodies with a hard size cap (SPEC 2.2: 16 KB, 2.4: 20 MB): Content-Length is
 * checked first, then the actual bytes while streaming, so a lying or missing header cannot make
 * the server buffer more than the cap.
 */

export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw payloadTooLarge(`The body exceeds ${formatBytes(maxBytes)}`);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(`The body exceeds ${formatBytes(maxBytes)}`);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8").decode(concat(chunks, total));
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
export function assertJsonContentType(req: Request): void {
  const ct = req.headers.get("content-type");
  if (!ct) return;
  const mime = ct.split(";")[0].trim().toLowerCase();
  if (mime === "application/json" || mime === "text/plain" || mime.endsWith("+json")) return;
  throw new ApiError(415, "Send JSON (Content-Type application/json or text/plain)");
}

export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  assertJsonContentType(req);
  const text = await readBodyText(req, maxBytes);
  if (text.trim() === "") throw badRequest("The body is empty; send a JSON document");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON");
  }
  return value;
}

const MAX_DEPTH = 64;

/**
 * Strings PostgreSQL cannot store are made storable before validation: NUL characters are
 * removed (text and jsonb refuse them) and lone UTF-16 surrogates replaced (jsonb refuses their
 * escapes). Works in place (a batch holds thousands of records; copying them all would cost more
 * than the check). Nesting deeper than MAX_DEPTH is refused as a client error instead of a stack
 * overflow.
 */
export function sanitizeJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cleanString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) throw badRequest(`The JSON is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && (typeof v === "string" || typeof v === "object")) value[i] = sanitizeJson(v, depth + 1);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  let dirtyKey = false;
  for (const key of Object.keys(obj)) {
    if (NEEDS_CLEANING.test(key)) dirtyKey = true;
    const v = obj[key];
    if (v === null || (typeof v !== "string" && typeof v !== "object")) continue;
    const c = sanitizeJson(v, depth + 1);
    // An own "__proto__" key from JSON.parse is a data property; assigning to it stays data.
    if (c !== v) obj[key] = c;
  }
  if (!dirtyKey) return obj;
  // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [cleanString(k), v] as const));
}

const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanString(s: string): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  const noNul = s.includes("\u0000") ? s.replace(NUL, "") : s;
  return noNul.replace(LONE_SURROGATE, "\ufffd");
}
