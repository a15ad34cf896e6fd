import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { limitSignIn } from "@/lib/runtime/sign-in-limit";

/**
 * next-auth v4 (credentials). Sign-in attempts are rate-limited per e-mail + client IP before
 * next-auth sees them: the 11th attempt within a minute gets 429 JSON (SPEC 10).
 */

type Ctx = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, ctx: Ctx): Promise<Response> => NextAuth(authOptions())(req, ctx);

export const GET = handler;

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  const limited = await limitSignIn(req, (await ctx.params).nextauth);
  return limited ?? handler(req, ctx);
}
