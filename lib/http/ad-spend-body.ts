import { cleanString, sanitizeJson, UNSTORABLE_TEXT_MESSAGE } from "@/lib/ingest/clean";
import { decodeCostFile } from "@/lib/costs/decode";
import { decodeUtf8, readBodyBytes } from "./body";
import { AppError, badRequest, unsupportedMediaType } from "@/lib/errors";

/**
 * The body of an ad-spend upload: JSON (array or {rows}), a text/csv body, or a multipart form
 * whose first file (or `file`/`csv` field) is the CSV. Capped at MAX_AD_SPEND_BYTES while read.
 * A CSV is decoded from its bytes like the CLI reads a file (lib/costs/decode.ts: UTF-8, or the
 * UTF-16 of Google Ads' "Excel CSV"), so both doors read the same files.
 */

export const MAX_AD_SPEND_BYTES = 5 * 1024 * 1024;

/** `fields`: the form's text fields besides the file (source, rate, dry_run), each as sent, repeats kept. */
export type AdSpendBody = { kind: "csv"; text: string; fields: [string, string][] } | { kind: "json"; value: unknown; fields: [string, string][] };

export async function readAdSpendBody(req: Request): Promise<AdSpendBody> {
  const ct = (req.headers.get("content-type") ?? "").toLowerCase();
  const mime = ct.split(";")[0].trim();
  const bytes = await readBodyBytes(req, MAX_AD_SPEND_BYTES);
  const isCsv = mime === "text/csv" || mime === "application/csv" || mime === "application/vnd.ms-excel" || mime === "text/tab-separated-values";
  const text = isCsv ? decodeCostFile(bytes) : mime === "multipart/form-data" ? "" : decodeUtf8(bytes);
  if (bytes.length === 0 || (mime !== "multipart/form-data" && text.trim() === "")) throw badRequest("The body is empty; send rows as JSON or CSV");
  if (isCsv) return { kind: "csv", text: storableCsv(text, "(body)"), fields: [] };
  if (mime === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": req.headers.get("content-type") ?? "" } }).formData();
    } catch {
      throw badRequest("The multipart body could not be read", [{ path: "file", message: "send the CSV as a form file" }]);
    }
    const preferred = form.get("file") ?? form.get("csv");
    const entry = preferred ?? [...form.values()].find((v) => typeof v !== "string") ?? null;
    if (entry === null) throw badRequest("No CSV file in the form", [{ path: "file", message: "is required" }]);
    const fields: [string, string][] = [];
    for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "file" && k !== "csv") fields.push([k, v]);
    for (const [k, v] of fields) sanitizeJson({ [k]: v });
    const fileText = typeof entry === "string" ? entry : decodeCostFile(new Uint8Array(await entry.arrayBuffer()));
    if (fileText.trim() === "") throw badRequest("The CSV file is empty", [{ path: "file", message: "must not be empty" }]);
    return { kind: "csv", text: storableCsv(fileText, "file"), fields };
  }
  if (mime !== "" && mime !== "application/json" && mime !== "text/plain" && !mime.endsWith("+json")) {
    throw unsupportedMediaType("Send JSON, text/csv or a multipart CSV file");
  }
  try {
    return { kind: "json", value: sanitizeJson(JSON.parse(text)), fields: [] };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest("The body is not valid JSON");
  }
}

/** A CSV whose text PostgreSQL cannot store (a NUL, a lone surrogate) is refused, never cleaned (SPEC 21). */
function storableCsv(text: string, path: string): string {
  const nul = text.indexOf("\u0000");
  if (nul >= 0 || text !== cleanString(text)) {
    const line = nul >= 0 ? text.slice(0, nul).split("\n").length : undefined;
    throw badRequest("The CSV holds a NUL character or broken UTF-16 text", [{ path, message: `${UNSTORABLE_TEXT_MESSAGE}${line ? ` (line ${line})` : ""}` }]);
  }
  return text;
}
