import { badRequest, payloadTooLarge, unsupportedMediaType } from "@/lib/errors";

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
  throw unsupportedMediaType("Send JSON (Content-Type application/json or text/plain)");
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
