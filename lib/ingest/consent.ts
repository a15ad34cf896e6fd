import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";

/**
 * SPEC 19: `consent` in collect, named as Google Consent Mode v2 names it
 * (`{"ad_user_data": "granted", "ad_personalization": "denied", "ad_storage": …, "analytics_storage": …}`),
 * kept on the session (sessions.consent) so forwarding knows whether the visitor allowed their
 * order to go back to the ad platforms. The latest report wins key by key. The raw User-Agent,
 * which Meta asks for on website events, is kept in it only while the merged consent grants ad_user_data.
 *
 * Written beside the group-commit queue, not in it: a tracker reports consent a few times per
 * session, so the write is one UPDATE when it changes, and nothing when this process has already
 * written the same value for the session (an in-memory note).
 */

const state = z.enum(["granted", "denied"], { error: "must be granted or denied" });

export const consentSchema = z
  .strictObject(
    {
      ad_user_data: state.optional(),
      ad_personalization: state.optional(),
      ad_storage: state.optional(),
      analytics_storage: state.optional(),
    },
    { error: "must be an object of Consent Mode v2 names (ad_user_data, ad_personalization, ad_storage, analytics_storage)" },
  )
  .nullish();

export type Consent = NonNullable<z.output<typeof consentSchema>>;

const MAX_UA = 512;
const NOTED_MAX = 50_000;
const noted = new Map<string, string>();

/** Stores the consent a collect event reported on its session (which the event's flush has created). */
export async function recordConsent(db: Db, sessionId: string, consent: Consent, userAgent: string | null): Promise<void> {
  const value: Record<string, string> = {};
  for (const [k, v] of Object.entries(consent)) if (v) value[k] = v;
  if (Object.keys(value).length === 0) return;
  const ua = userAgent ? userAgent.slice(0, MAX_UA) : null;
  const json = JSON.stringify(value);
  const note = `${json}|${ua ?? ""}`;
  if (noted.get(sessionId) === note) return;
  // The User-Agent stays only while the merged consent grants ad_user_data; a denial removes it.
  await db.execute(sql`
    UPDATE sessions SET consent = CASE
        WHEN (coalesce(consent, '{}'::jsonb) || ${json}::jsonb)->>'ad_user_data' = 'granted' AND ${ua}::text IS NOT NULL
          THEN (coalesce(consent, '{}'::jsonb) - 'user_agent') || ${json}::jsonb || jsonb_build_object('user_agent', ${ua}::text)
        ELSE (coalesce(consent, '{}'::jsonb) - 'user_agent') || ${json}::jsonb END
    WHERE id = ${sessionId}::uuid`);
  if (noted.size >= NOTED_MAX) noted.clear();
  noted.set(sessionId, note);
}

/** Tests: forget what this process wrote. */
export function forgetConsentNotes(): void {
  noted.clear();
}
