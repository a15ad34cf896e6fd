import { campaignSuggestions, parseSuggestionParams } from "@/lib/analytics/campaign-suggestions";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { singleValuedParams } from "@/lib/http/query";

/**
 * GET /api/utm/campaign-map/suggestions (SPEC 18): platform campaigns with spend that match no
 * utm_campaign, each with up to three candidates (utm_id, slug, tokens); `limit` 1–500. Accepting
 * one is a PUT of the campaign map with the entry added. Signed-in users and read tokens.
 */
export const GET = withGuard({ role: "viewer", scope: "read" }, async (req) => {
  const { limit } = parseSuggestionParams(singleValuedParams(req));
  return Response.json(await campaignSuggestions(await getDb(), undefined, limit));
});
