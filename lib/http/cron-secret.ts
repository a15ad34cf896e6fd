import { createHash, timingSafeEqual } from "node:crypto";
import { unauthorized, unavailable } from "@/lib/errors";

/**
 * The cron route's own credential (Vercel cron style `Authorization: Bearer $CRON_SECRET`), checked
 * by withGuard for handlers that declare `{ cron: true }`: unset → 503 (the route is switched
 * off), wrong → 401. Compared as SHA-256 digests with timingSafeEqual, so
 * neither the content nor the length of the secret leaks through timing.
 */
export function assertCronSecret(req: Request, secret: string | undefined): void {
  if (!secret) throw unavailable("The cron route is disabled: set CRON_SECRET to enable it");
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  const given = createHash("sha256").update(m?.[1] ?? "").digest();
  const expected = createHash("sha256").update(secret).digest();
  if (!m || !timingSafeEqual(given, expected)) throw unauthorized("Invalid cron secret");
}
