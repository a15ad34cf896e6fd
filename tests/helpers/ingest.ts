import { randomUUID } from "node:crypto";

/** Calling ingestion route handlers directly, as Next would. */

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export const CHROME_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

export async function call(
  handler: Handler,
  path: string,
  init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers = new Headers({ "content-type": "application/json", "user-agent": CHROME_UA, ...init.headers });
  const body = init.raw !== undefined ? init.raw : init.body !== undefined ? JSON.stringify(init.body) : undefined;
  const req = new Request(`http://localhost:3000${path}`, { method: init.method ?? "POST", headers, body });
  const res = await handler(req, { params: Promise.resolve(init.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const uuid = () => randomUUID();

/** Deterministic ids that read well in assertions: sid(1) = 00000000-0000-4000-8000-000000000001. */
export const sid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
export const eid = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
