import { getReadDb, type Db } from "@/lib/db/client";
import { parseAnalyticsQuery, type AnalyticsQuery, type DateRange, type Period } from "@/lib/analytics/params";
import { assertRangeInside, assertShareAllows, namesNoRange, RANGE_PARAMS } from "@/lib/analytics/share-scope";
import { withGuard, type Principal } from "./guard";

/**
 * The shape of every read-only analytics endpoint (SPEC 4): guard (signed-in viewer, `read`
 * token or share token), parse range + filters once, keep a share token inside its locked view,
 * run the report, answer JSON. A `run` that returns a Response (CSV export) is passed through.
 *
 * Share tokens (SPEC 16): a request that names no range gets the link's range (not the
 * endpoint's default, which may be wider: cohorts default to 90 days); any other range the
 * report uses (compare, …) must be passed to `allowRange`, which answers 403 outside the link's
 * range. `within` is the selection a revealed session must belong to (session detail).
 */

export type AnalyticsContext<P> = {
  db: Db;
  q: AnalyticsQuery;
  sp: URLSearchParams;
  params: P;
  principal: Principal;
  /** 403 when a share token asks for `range` outside its locked range; a no-op for others. */
  allowRange: (range: DateRange, param: string) => void;
  /** Share tokens: the selection (range + filters) a revealed row must lie in. */
  within?: AnalyticsQuery;
};

export type AnalyticsRouteOptions = {
  defaultPeriod?: Period | ((sp: URLSearchParams) => Period | undefined);
  /** `basis` values the route parses itself (cohorts' `paid`, SPEC 18): kept from the shared parser. */
  ownBasis?: readonly string[] | ((sp: URLSearchParams) => readonly string[]);
};

export function analyticsRoute<P = Record<string, never>>(
  run: (ctx: AnalyticsContext<P>) => Promise<unknown>,
  opts: AnalyticsRouteOptions = {},
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response> {
  return withGuard<P>({ role: "viewer", scope: "read", share: true }, async (req, { principal, params }) => {
    const sp = new URL(req.url).searchParams;
    const defaultPeriod = typeof opts.defaultPeriod === "function" ? opts.defaultPeriod(sp) : opts.defaultPeriod;
    let input = sp;
    if (principal.kind === "share" && namesNoRange(sp)) {
      // The link's own range (its default `month` when it names none), never the endpoint default.
      input = new URLSearchParams(sp);
      let named = false;
      for (const k of RANGE_PARAMS) {
        const v = principal.share.params[k];
        if (typeof v === "string") {
          input.set(k, v);
          named = true;
        }
      }
      if (!named) input.set("period", "month");
    }
    const own = typeof opts.ownBasis === "function" ? opts.ownBasis(sp) : opts.ownBasis;
    if (own && input.getAll("basis").every((b) => own.includes(b)) && input.has("basis")) {
      input = new URLSearchParams(input);
      input.delete("basis");
    }
    const q = parseAnalyticsQuery(input, { defaultPeriod });
    let allowRange: AnalyticsContext<P>["allowRange"] = () => {};
    let within: AnalyticsQuery | undefined;
    if (principal.kind === "share") {
      const locked = assertShareAllows(principal.share.params, q, sp);
      allowRange = (range, param) => assertRangeInside(locked, range, param);
      within = q;
    }
    // Analytics reads go to the read replica when DATABASE_READ_URL is set (the guard above
    // checked the token/session on the primary).
    const db = await getReadDb();
    const result = await run({ db, q, sp, params, principal, allowRange, within });
    if (result instanceof Response) return result;
    return Response.json(result);
  });
}
