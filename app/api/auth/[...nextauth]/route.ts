import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/http/auth-options";
import { errorResponse } from "@/lib/http/errors";
import { isCredentialsSignIn, limitSignIn, readSignInBody } from "@/lib/http/sign-in-limit";

/**
 * next-auth v4 (credentials). Every POST body (sign-in, sign-out) is read with an 8 KB cap before
 * anything parses it (413 past it); credentials sign-ins are then rate-limited per e-mail + client
 * address and per e-mail before next-auth sees them (SPEC 10, 16). next-auth keeps its own CSRF
 * token on these POSTs.
 */

type Ctx = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, ctx: Ctx): Promise<Response> => NextAuth(authOptions())(req, ctx);

export const GET = handler;

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  try {
    const { text, email } = await readSignInBody(req);
    if (isCredentialsSignIn((await ctx.params).nextauth)) {
      const limited = limitSignIn(req, email);
      if (limited) return limited;
    }
    // The same bytes, already read: next-auth parses them as it always does.
    const headers = new Headers(req.headers);
    headers.delete("content-length");
    const again = new NextRequest(req.url, { method: "POST", headers, body: text });
    return await handler(again, ctx);
  } catch (err) {
    return errorResponse(err);
  }
}
