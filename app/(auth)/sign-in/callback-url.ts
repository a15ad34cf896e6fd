/**
 * Only same-site paths: a crafted callbackUrl must not send the user elsewhere after sign-in.
 * An absolute URL (next-auth adds them) keeps just its path and query, on this site.
 */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return "/dispatcher";
  try {
    const u = new URL(v, "http://local.invalid");
    const pathAndQuery = u.pathname + u.search;
    return pathAndQuery.startsWith("/") && !pathAndQuery.startsWith("//") ? pathAndQuery : "/dispatcher";
  } catch {
    return "/dispatcher";
  }
}
