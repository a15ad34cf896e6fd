import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/[...nextauth]/route";
import { pickLocale, safeCallbackUrl } from "@/app/(auth)/sign-in/strings";
import { clientIp, limitSignIn } from "@/lib/runtime/sign-in-limit";

const attempt = (email: string, ip: string) =>
  new Request("http://localhost:3100/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `${ip}, 10.0.0.1` },
    body: new URLSearchParams({ email, password: "wrong-password", csrfToken: "x", json: "true" }),
  });
const CREDENTIALS = ["callback", "credentials"];

describe("sign-in rate limit (SPEC 10: 429 after 10 a minute per e-mail + IP)", () => {
  it("lets 10 attempts through and answers the 11th with 429 JSON", async () => {
    for (let i = 1; i <= 10; i++) expect(await limitSignIn(attempt("limit@shop.ua", "203.0.113.5"), CREDENTIALS)).toBeUndefined();
    const res = await limitSignIn(attempt("LIMIT@shop.ua", "203.0.113.5"), CREDENTIALS);
    expect(res?.status).toBe(429);
    expect(res?.headers.get("retry-after")).toBe("60");
    // `url` carries the error code next-auth/react's signIn() reads.
    expect(await res?.json()).toEqual({
      error: "Too many sign-in attempts. Try again in a minute.",
      url: "http://localhost:3100/sign-in?error=RateLimited",
    });
    // Same e-mail from another address, or another e-mail from the same address: separate budgets.
    expect(await limitSignIn(attempt("limit@shop.ua", "198.51.100.7"), CREDENTIALS)).toBeUndefined();
    expect(await limitSignIn(attempt("other@shop.ua", "203.0.113.5"), CREDENTIALS)).toBeUndefined();
  });

  it("the next-auth route answers the 11th attempt with 429 before next-auth runs", async () => {
    for (let i = 1; i <= 10; i++) await limitSignIn(attempt("route@shop.ua", "203.0.113.9"), CREDENTIALS);
    const res = await POST(attempt("route@shop.ua", "203.0.113.9"), { params: Promise.resolve({ nextauth: CREDENTIALS }) });
    expect(res.status).toBe(429);
  });

  it("never limits the other next-auth endpoints (sign-out, csrf)", async () => {
    for (let i = 1; i <= 12; i++) expect(await limitSignIn(attempt("x@shop.ua", "203.0.113.10"), ["signout"])).toBeUndefined();
  });

  it("takes the client address from the first X-Forwarded-For entry", () => {
    expect(clientIp(attempt("a@b.c", "192.0.2.1"))).toBe("192.0.2.1");
    expect(clientIp(new Request("http://x/", { headers: { "x-real-ip": "192.0.2.2" } }))).toBe("192.0.2.2");
    expect(clientIp(new Request("http://x/"))).toBe("local");
  });
});

describe("sign-in page helpers", () => {
  it("picks the language from the cookie, then Accept-Language, else Ukrainian", () => {
    expect(pickLocale("en", "uk-UA,uk;q=0.9")).toBe("en");
    expect(pickLocale(undefined, "de-DE,en-US;q=0.8,uk;q=0.5")).toBe("en");
    expect(pickLocale(undefined, "uk-UA,uk;q=0.9,en;q=0.8")).toBe("uk");
    expect(pickLocale("fr", "de-DE")).toBe("uk");
    expect(pickLocale(undefined, null)).toBe("uk");
  });

  it("keeps callbackUrl on this site", () => {
    expect(safeCallbackUrl(undefined)).toBe("/dispatcher");
    expect(safeCallbackUrl("/dispatcher?period=week&utm_source=google")).toBe("/dispatcher?period=week&utm_source=google");
    expect(safeCallbackUrl("http://localhost:3100/dispatcher?period=year")).toBe("/dispatcher?period=year");
    expect(safeCallbackUrl("https://evil.example/steal")).toBe("/steal");
    expect(safeCallbackUrl("//evil.example/x")).toBe("/x");
  });
});
