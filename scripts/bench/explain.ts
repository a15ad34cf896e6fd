import type { DbHandle } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { BENCH_ENDPOINTS, type RouteHandler } from "./endpoints";

/**
 * `--explain` (PostgreSQL only): calls one endpoint once through a connection that records every
 * statement it sends, then runs EXPLAIN (ANALYZE, BUFFERS) of each with the same parameters and
 * returns the plan of the slowest one (the endpoint's "main query").
 */

export type Explained = { endpoint: string; query: string; ms: number; plan: string };

export async function explainSlowest(
  url: string,
  endpointName: string,
  call: (handler: RouteHandler) => Promise<void>,
  swap: (handle: DbHandle | undefined) => void,
): Promise<Explained | undefined> {
  const ep = BENCH_ENDPOINTS.find((e) => e.name === endpointName);
  if (!ep) return undefined;
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const seen: { query: string; params: unknown[] }[] = [];
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_conn, query, params) => {
      if (/^\s*(select|with)\b/i.test(query)) seen.push({ query, params: [...(params as unknown[])] });
    },
  });
  const handle: DbHandle = {
    db: drizzle(client, { schema }) as unknown as DbHandle["db"],
    driver: "postgres",
    description: "PostgreSQL (explain)",
    close: () => client.end({ timeout: 5 }),
  };
  try {
    swap(handle);
    await call((await ep.load()).GET as RouteHandler);
    swap(undefined);
    let best: Explained | undefined;
    for (const s of seen) {
      // The token lookup of the guard is not the endpoint's query.
      if (/api_tokens/.test(s.query)) continue;
      const plan = await client.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${s.query}`, s.params as never[]);
      const lines = (plan as unknown as Record<string, string>[]).map((r) => Object.values(r)[0]);
      const m = /Execution Time: ([\d.]+) ms/.exec(lines.join("\n"));
      const took = m ? Number(m[1]) : 0;
      if (!best || took > best.ms) best = { endpoint: endpointName, query: s.query.trim(), ms: took, plan: lines.join("\n") };
    }
    return best;
  } finally {
    await client.end({ timeout: 5 });
  }
}
