import type { z } from "zod";
import { badRequest, zodIssues } from "@/lib/errors";
import { parseJsonText, readBodyTextStrict } from "./body";

/** Settings-sized JSON bodies (users, tokens, share links, subscriptions): read with this cap. */
export const MAX_SETTINGS_JSON_BYTES = 64 * 1024;

/**
 * A JSON request body validated by `schema`: read with a size cap before parsing (413 past it,
 * SPEC 16; 400 when not UTF-8), then 400 `{error, issues}` naming each bad field.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = MAX_SETTINGS_JSON_BYTES): Promise<z.output<S>> {
  const body = parseJsonText(await readBodyTextStrict(req, maxBytes));
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest("Invalid input", zodIssues(parsed.error));
  return parsed.data;
}
