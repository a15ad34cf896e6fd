import type { ShareParams } from "@/lib/analytics/share-scope";
import { sharePath } from "@/lib/auth/share-links";
import type { Dict } from "@/lib/i18n/uk";

/**
 * The status cell of a share link on /settings. A live link's URL carries its token, which opens
 * the shared view to anyone holding it: only admins see it (SPEC 16, like the API that hides it);
 * viewers see that the link is active, never where it points.
 */
export function ShareLinkStatus({ link, admin, t }: { link: { token: string; params: ShareParams; active: boolean; revokedAt: Date | null }; admin: boolean; t: Dict }) {
  if (!link.active) return <span className="text-slate-400">{link.revokedAt ? t.revoked : t.expired}</span>;
  if (!admin) return <span className="text-emerald-700">{t.active}</span>;
  return (
    <a href={sharePath(link.token, link.params)} className="text-indigo-700 underline" data-share-link>
      {t.active}
    </a>
  );
}
