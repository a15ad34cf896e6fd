import type { z } from "zod";
import { badRequest, zodIssues } from "@/lib/errors";

/** A JSON request body validated by `schema`: 400 `{error, issues}` naming each bad field. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw badRequest("The body must be JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest("Invalid input", zodIssues(parsed.error));
  return parsed.data;
}
