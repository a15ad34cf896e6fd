import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/passwords";
import { findUserByEmail } from "@/lib/auth/users";

/** next-auth (v4) with e-mail + password; JWT sessions carry the user id, the role is re-read. */
export function authOptions(): NextAuthOptions {
  return {
    secret: config().authSecret,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/sign-in", signOut: "/sign-out" },
    providers: [
      CredentialsProvider({
        name: "E-mail",
        credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const email = String(credentials?.email ?? "").trim().toLowerCase();
          const password = String(credentials?.password ?? "");
          if (!email || !password || email.length > 254 || password.length > 200) return null;
          const user = await findUserByEmail(await getDb(), email);
          if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
          return { id: String(user.id), email: user.email, name: user.name ?? user.email };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.uid = Number(user.id);
        return token;
      },
      async session({ session, token }) {
        return { ...session, uid: typeof token.uid === "number" ? token.uid : undefined };
      },
    },
  };
}
