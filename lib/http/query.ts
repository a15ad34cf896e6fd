import { toRecord } from "@/lib/analytics/params";

/**
 * One value per parameter of a request, from its query string and any form fields together
 * (SPEC 21: a parameter given twice with different values is 400 everywhere, `dry_run=1&dry_run=0`
 * included; the last one never silently wins). The analytics parser's own rule (toRecord), so
 * every door words it the same way.
 */
export function singleValuedParams(req: Request, fields: Iterable<[string, string]> = []): Record<string, string> {
  const all = new URLSearchParams(new URL(req.url).searchParams);
  for (const [k, v] of fields) all.append(k, v);
  return toRecord(all);
}
