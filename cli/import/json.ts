import { readFile } from "node:fs/promises";
import type { Db } from "@/lib/db/client";
import { upkeepBetweenChunks } from "@/lib/db/upkeep";
import { CHUNK_RECORDS, addCounts, ingestChunk, zeroCounts, type BatchKey, type Counts } from "./records";

/**
 * JSON files: either a batch body `{sessions?, events?, orders?}` (SPEC 2.4, any size: it is sent
 * in chunks, sessions first so events and orders find them) or an array of order objects (2.3).
 */
export async function importJson(db: Db, file: string, onProgress: (done: number, total: number) => void): Promise<Counts> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const body: Partial<Record<BatchKey, unknown[]>> = {};
  if (Array.isArray(data)) body.orders = data;
  else if (data && typeof data === "object") {
    const obj = data as Record<string, unknown>;
    const unknownKeys = Object.keys(obj).filter((k) => !["sessions", "events", "orders"].includes(k));
    if (unknownKeys.length) throw new Error(`${file}: unexpected key "${unknownKeys[0]}" (expected sessions, events, orders)`);
    for (const key of ["sessions", "events", "orders"] as const) {
      if (obj[key] === undefined) continue;
      if (!Array.isArray(obj[key])) throw new Error(`${file}: "${key}" must be an array`);
      body[key] = obj[key] as unknown[];
    }
  } else {
    throw new Error(`${file}: expected a batch object {sessions, events, orders} or an array of orders`);
  }
  const total = (body.sessions?.length ?? 0) + (body.events?.length ?? 0) + (body.orders?.length ?? 0);
  if (total === 0) throw new Error(`${file} holds no records`);
  let counts = zeroCounts();
  let done = 0;
  const upkeepDue = upkeepBetweenChunks(db);
  for (const key of ["sessions", "events", "orders"] as const) {
    const list = body[key] ?? [];
    for (let i = 0; i < list.length; i += CHUNK_RECORDS) {
      await upkeepDue();
      const part = list.slice(i, i + CHUNK_RECORDS);
      counts = addCounts(counts, await ingestChunk(db, key, part, i));
      done += part.length;
      onProgress(done, total);
    }
  }
  return counts;
}
