import { getUtmRules, saveUtmRules } from "@/lib/analytics/utm-links";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { readJson } from "@/lib/http/json-body";
import { utmRulesSchema } from "@/lib/links/rules";

/** The team's UTM naming rules: GET (viewer or `read` token), PUT (admins). */
export const GET = withGuard({ role: "viewer", scope: "read" }, async () => Response.json(await getUtmRules(await getDb())));

export const PUT = withGuard({ role: "admin", body: "json" }, async (req) => {
  const rules = await readJson(req, utmRulesSchema);
  return Response.json(await saveUtmRules(await getDb(), rules));
});
