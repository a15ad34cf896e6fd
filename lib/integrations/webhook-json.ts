import { parse } from "lossless-json";
import { z, type ZodType } from "zod";
import { badRequest, zodIssues } from "@/lib/errors";

/**
 * The JSON of a webhook body, read without losing digits: Shopify's ids (order, customer, line
 * item, refund) exceed 2^53, so JSON.parse would round them. lossless-json hands every number over
 * as its source text, and this keeps that text: every JSON number arrives as a decimal string
 * (`450789469`; `"199.00"` stays `"199.00"`), and the platform schemas below read ids as those
 * strings and amounts as numbers made from them. Broken JSON and a key given twice with different
 * values are refused; a `__proto__` key stays plain data.
 */
export function parseWebhookJson(text: string): unknown {
  if (text.trim() === "") throw badRequest("The body is empty; send a JSON document");
  try {
    return parse(text, null, (digits: string) => digits);
  } catch {
    throw badRequest("The body is not valid JSON");
  }
}

const BAD_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text the app keeps: SPEC 21 refuses NUL and lone surrogates naming the field (never stripped). */
export const text = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !BAD_TEXT.test(s), "must not contain NUL characters or lone surrogates");

/** An id as the platform sent it (a JSON number read as its digits, or a string). */
export const idText = z
  .string({ error: "must be a number or a string" })
  .trim()
  .regex(/^[A-Za-z0-9_:/.-]{1,128}$/, "must be an id of at most 128 letters, digits or _:/.-");

/** A decimal amount as Shopify and WooCommerce send them ("199.00", "-5.00", or a JSON number). */
export const decimal = z
  .string({ error: "must be a decimal number or string" })
  .trim()
  .regex(/^-?\d{1,12}(\.\d{1,8})?$/, "must be a decimal amount such as 19.99")
  .transform(Number);

/** `null` and absent read the same (the platforms send null for unset fields). */
export const opt = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);

/** A platform payload through its schema: invalid_input naming each bad field (`line_items[0].price`). */
export function parseAs<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`Invalid ${what}`, zodIssues(r.error));
  return r.data;
}
