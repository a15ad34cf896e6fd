import { signInAttempt } from "@/lib/auth/rate-limit";
import { badRequest } from "@/lib/errors";
import { readBodyText } from "@/lib/http/body";
import { clientAddress } from "@/lib/http/client-address";

/**
 * SPEC 10, 16: sign-in attempts are limited per e-mail + client address (10 a minute) and per
 * e-mail (100 an hour), checked in the next-auth route before next-auth sees the attempt.
 *
 * The body is read once, with a cap, before any parsing (413 past MAX_SIGN_IN_BYTES); the e-mail
 * is taken exactly as next-auth v4 reads it (next-auth/next/utils getBody: JSON when the content
 * type contains application/json, else urlencoded with the LAST value of a repeated field), and a
 * form naming `email` more than once is refused (400), so the limiter and next-auth can never see
 * two different e-mails. The route hands next-auth a fresh request built from the same bytes.
 */

export const MAX_SIGN_IN_BYTES = 8 * 1024;

export type SignInBody = { text: string; email: string };

/** The capped body and the e-mail next-auth will read from it (normalised like authorize()). */
export async function readSignInBody(req: Request): Promise<SignInBody> {
  const text = await readBodyText(req, MAX_SIGN_IN_BYTES);
  const type = req.headers.get("content-type") ?? "";
  let email: unknown;
  if (type.includes("application/json")) {
    try {
      email = (JSON.parse(text) as { email?: unknown } | null)?.email;
    } catch {
      email = undefined; // next-auth fails on it too; counted under the empty e-mail
    }
  } else if (type.includes("application/x-www-form-urlencoded")) {
    const all = new URLSearchParams(text).getAll("email");
    if (all.length > 1) throw badRequest("The e-mail field is given more than once", [{ path: "email", message: "must be given once" }]);
    email = all[0];
  }
  return { text, email: String(email ?? "").trim().toLowerCase() };
}

export const isCredentialsSignIn = (nextauth: string[] | undefined) => nextauth?.[0] === "callback" && nextauth[1] === "credentials";

/** A 429 answer when this credentials sign-in attempt is over a limit, else undefined. */
export function limitSignIn(req: Request, email: string): Response | undefined {
  const verdict = signInAttempt(email, clientAddress(req.headers));
  if (verdict.allowed) return undefined;
  // `url` because next-auth/react's signIn() reads the error from it (`?error=RateLimited`).
  const url = new URL("/sign-in?error=RateLimited", req.url).toString();
  return Response.json(
    { error: "Too many sign-in attempts. Try again later.", url },
    { status: 429, headers: { "Retry-After": String(verdict.retryAfter) } },
  );
}
