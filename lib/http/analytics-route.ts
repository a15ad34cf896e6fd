import { getDb, type Db } from "@/lib/db/client";
import { parseAnalyticsQuery, type AnalyticsQuery, type Period } from "@/lib/analytics/params";
import { assertShareAllows } from "@/lib/analytics/share-scope";
import { withGuard, type Principal } from "./guard";

/**
 * The shape of every read-only analytics endpoint (SPEC 4): guard (signed-in viewer, `read`
 * token or share token), parse range + filters once, keep a share token inside its locked view,
 * run the report, answer JSON. A `run` that returns a Response (CSV export) is passed through.
 */

export type AnalyticsContext<P> = {
  db: Db;
  q: AnalyticsQuery;
  sp: URLSearchParams;
  params: P;
  principal: Principal;
};

export type AnalyticsRouteOptions = { defaultPeriod?: Period };

export function analyticsRoute<P = Record<string, never>>(
  run: (ctx: AnalyticsContext<P>) => Promise<unknown>,
  opts: AnalyticsRouteOptions = {},
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response> {
  return withGuard<P>({ role: "viewer", scope: "read", share: true }, async (req, { principal, params }) => {
    const sp = new URL(req.url).searchParams;
    const q = parseAnalyticsQuery(sp, { defaultPeriod: opts.defaultPeriod });
    if (principal.kind === "share") assertShareAllows(principal.share.params, q, sp);
    const db = await getDb();
    const result = await run({ db, q, sp, params, principal });
    if (result instanceof Response) return result;
    return Response.json(result);
  });
}
