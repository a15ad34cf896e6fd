import { sql } from "drizzle-orm";
import { z } from "zod";
import { rows, type Db } from "@/lib/db/client";
import { forwardDestinations } from "@/lib/db/schema-forwarding";
import { badRequest, notFound } from "@/lib/errors";
import { openSecret, sealSecret, secretHint } from "./secrets";

/**
 * The three destinations of SPEC 19 and their settings (admin, settings page). The secret (an
 * access token, or Google's service-account key) is sealed at rest (secrets.ts) and never
 * answered: a destination's public view carries `secret_hint` ("…1234") instead. Saving again
 * without a secret keeps the stored one.
 */

export const DESTINATIONS = ["meta", "google", "tiktok"] as const;
export type Destination = (typeof DESTINATIONS)[number];

export const destinationSchema = z.enum(DESTINATIONS, { error: `must be one of ${DESTINATIONS.join(", ")}` });

/** A destination named in a URL; anything else names nothing: not_found (404). */
export function destinationOf(raw: string): Destination {
  const d = destinationSchema.safeParse(raw);
  if (!d.success) throw notFound("Unknown destination: use meta, google or tiktok");
  return d.data;
}

/** A key file's text: line breaks and tabs are fine, NUL and other control characters or lone surrogates are not (SPEC 21). */
const storableText = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s) && !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
const token = z
  .string({ error: "must be a string" })
  .trim()
  .min(16, "must be at least 16 characters")
  .max(2048, "must be at most 2048 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
const digits = (what: string, min: number, max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .transform((s) => s.replace(/-/g, ""))
    .pipe(z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `must be ${what} (${min}–${max} digits)`));
const testCode = z
  .string({ error: "must be a string" })
  .trim()
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9_-]*$/, "must be letters, digits, _ or -")
  .optional();

/** A Google service-account key file (JSON) as the Cloud console downloads it; only two fields are used. */
export const serviceAccountKeySchema = z
  .string({ error: "must be the key file's JSON text" })
  .max(16_384, "must be at most 16384 characters")
  .refine(storableText, "must not contain control characters or lone surrogates (paste the file's text as it is)")
  .transform((text, ctx) => {
    try {
      const k = JSON.parse(text) as Record<string, unknown>;
      if (typeof k.client_email === "string" && typeof k.private_key === "string" && k.private_key.includes("PRIVATE KEY")) {
        return JSON.stringify({ client_email: k.client_email, private_key: k.private_key, private_key_id: typeof k.private_key_id === "string" ? k.private_key_id : undefined });
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: "must be a service-account key file (JSON with client_email and private_key)" });
    return z.NEVER;
  });

const enabled = z.boolean({ error: "must be true or false" }).optional();

export const destinationInputSchemas = {
  meta: z.strictObject({ enabled, pixel_id: digits("a pixel id", 5, 20), access_token: token.optional(), test_event_code: testCode }),
  google: z.strictObject({
    enabled,
    customer_id: digits("a Google Ads customer id", 10, 10),
    conversion_action: digits("a conversion action id", 1, 20),
    login_customer_id: digits("a manager account id", 10, 10).optional(),
    service_account_key: serviceAccountKeySchema.optional(),
  }),
  tiktok: z.strictObject({
    enabled,
    pixel_code: z.string({ error: "must be a string" }).trim().regex(/^[A-Z0-9]{8,32}$/, "must be a TikTok pixel code (8–32 upper-case letters and digits)"),
    access_token: token.optional(),
    test_event_code: testCode,
  }),
} satisfies Record<Destination, z.ZodType>;

/** A configured destination as the sender uses it (secret opened). */
export type DestinationConfig = { destination: Destination; enabled: boolean; settings: Record<string, string>; secret: string };

/** What the settings page and GET /api/utm/forwarding show of a destination. */
export type DestinationView = { destination: Destination; enabled: boolean; settings: Record<string, string>; secret_hint: string; updated_at: string };

const SECRET_FIELD: Record<Destination, string> = { meta: "access_token", google: "service_account_key", tiktok: "access_token" };

/** Saves a destination from its validated input; the first save must carry the secret. */
export async function saveDestination(db: Db, destination: Destination, raw: unknown): Promise<DestinationView> {
  const parsed = destinationInputSchemas[destination].safeParse(raw);
  if (!parsed.success) {
    throw badRequest(
      "Invalid destination settings",
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    );
  }
  const input = parsed.data as Record<string, string | boolean | undefined>;
  const secretField = SECRET_FIELD[destination];
  const secret = input[secretField] as string | undefined;
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (k !== secretField && k !== "enabled" && typeof v === "string" && v !== "") settings[k] = v;
  const isEnabled = input.enabled !== false;
  if (secret === undefined) {
    const got = await db.execute(sql`
      UPDATE forward_destinations SET settings = ${JSON.stringify(settings)}::jsonb, enabled = ${isEnabled}, updated_at = now()
      WHERE destination = ${destination}`);
    if (affected(got) === 0) throw badRequest("Invalid destination settings", [{ path: secretField, message: "is required the first time" }]);
  } else {
    await db
      .insert(forwardDestinations)
      .values({ destination, enabled: isEnabled, settings, secretSealed: sealSecret(secret), secretHint: secretHint(secret) })
      .onConflictDoUpdate({
        target: forwardDestinations.destination,
        set: { enabled: isEnabled, settings, secretSealed: sealSecret(secret), secretHint: secretHint(secret), updatedAt: new Date() },
      });
  }
  const view = (await listDestinations(db)).find((d) => d.destination === destination);
  if (!view) throw notFound("Destination not configured");
  return view;
}

function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number; count?: number };
  return Number(r.rowCount ?? r.affectedRows ?? r.count ?? 0);
}

/** Removes a destination; its waiting events are settled as skipped (nothing can send them now). */
export async function removeDestination(db: Db, destination: Destination): Promise<boolean> {
  const got = await rows<{ destination: string }>(db, sql`DELETE FROM forward_destinations WHERE destination = ${destination} RETURNING destination`);
  await db.execute(sql`
    UPDATE forward_outbox SET status = 'skipped', claim_token = NULL, last_error = 'destination removed', last_error_at = now()
    WHERE destination = ${destination} AND status IN ('queued', 'sending')`);
  return got.length > 0;
}

type Row = { destination: Destination; enabled: boolean; settings: Record<string, string>; secret_sealed: string; secret_hint: string; updated_at: string };

async function destinationRows(db: Db): Promise<Row[]> {
  return rows<Row>(
    db,
    sql`SELECT destination::text AS destination, enabled, settings, secret_sealed, secret_hint::text AS secret_hint,
               to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
        FROM forward_destinations ORDER BY destination`,
  );
}

export async function listDestinations(db: Db): Promise<DestinationView[]> {
  return (await destinationRows(db)).map((r) => ({ destination: r.destination, enabled: r.enabled, settings: r.settings, secret_hint: r.secret_hint, updated_at: r.updated_at }));
}

/**
 * The destinations the sender may use, secrets opened. One whose secret no longer opens (AUTH_SECRET
 * changed) is left out and named in `unopened`, so its rows wait and the settings page says why.
 */
export async function loadDestinations(db: Db): Promise<{ configs: DestinationConfig[]; unopened: Destination[] }> {
  const configs: DestinationConfig[] = [];
  const unopened: Destination[] = [];
  for (const r of await destinationRows(db)) {
    const secret = openSecret(r.secret_sealed);
    if (secret === undefined) unopened.push(r.destination);
    else configs.push({ destination: r.destination, enabled: r.enabled, settings: r.settings, secret });
  }
  return { configs, unopened };
}
