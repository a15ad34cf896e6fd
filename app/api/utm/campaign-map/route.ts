import { listCampaignMap, parseCampaignMap, replaceCampaignMap } from "@/lib/analytics/campaign-map";
import { getDb } from "@/lib/db/client";
import { withGuard } from "@/lib/http/guard";
import { z } from "zod";
import { readJson } from "@/lib/http/json-body";

/** GET /api/utm/campaign-map (SPEC 14): the platform campaign → utm_campaign map (signed-in users, read tokens). */
export const GET = withGuard({ role: "viewer", scope: "read" }, async () => Response.json(await listCampaignMap(await getDb())));

/**
 * PUT /api/utm/campaign-map: `[{utm_source, platform_campaign, utm_campaign}]` or `{rows}` becomes
 * the whole map; stored platform spend is re-mapped at once. Admins only.
 */
export const PUT = withGuard({ role: "admin", body: "json" }, async (req) => {
  const entries = parseCampaignMap(await readJson(req, z.unknown(), 2 * 1024 * 1024));
  return Response.json(await replaceCampaignMap(await getDb(), entries));
});
