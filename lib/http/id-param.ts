import { z } from "zod";
import { parseParams, type SearchInput } from "@/lib/analytics/params";

const idSchema = z.object({
  id: z.string({ error: "is required" }).regex(/^[1-9]\d{0,9}$/, "must be a positive whole number").transform(Number).refine((n) => n <= 2_147_483_647, "must be a positive whole number"),
});

/** The `?id=` of a DELETE on a collection route: 400 when missing, malformed or given twice differently. */
export function idParam(sp: SearchInput): number {
  return parseParams(sp, idSchema).id;
}
