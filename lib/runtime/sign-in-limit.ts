import { signInAllowed } from "@/lib/auth/rate-limit";

/**
 * SPEC 10: sign-in attempts are limited per e-mail + client IP (429 after 10 a minute). Checked
 * in the next-auth route before next-auth sees the attempt.
 */

export function clientIp(req: Request): string {
  const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || req.headers.get("x-real-ip")?.trim() || "local";
}

async function attemptedEmail(req: Request): Promise<string> {
  try {
    const type = req.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      const body = (await req.clone().json()) as { email?: unknown };
      return String(body.email ?? "").trim().toLowerCase();
    }
    const form = await req.clone().formData();
    return String(form.get("email") ?? "").trim().toLowerCase();
  } catch {
    return "";
  }
}

/** A 429 answer when this credentials sign-in attempt is over the limit, else undefined. */
export async function limitSignIn(req: Request, nextauth: string[] | undefined): Promise<Response | undefined> {
  if (nextauth?.[0] !== "callback" || nextauth[1] !== "credentials") return undefined;
  if (signInAllowed(`${await attemptedEmail(req)}|${clientIp(req)}`)) return undefined;
  // `url` because next-auth/react's signIn() reads the error from it (`?error=RateLimited`).
  const url = new URL("/sign-in?error=RateLimited", req.url).toString();
  return Response.json(
    { error: "Too many sign-in attempts. Try again in a minute.", url },
    { status: 429, headers: { "Retry-After": "60" } },
  );
}
