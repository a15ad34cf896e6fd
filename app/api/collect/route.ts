import { withGuard } from "@/lib/http/guard";
import { collectPost, collectPreflight } from "@/lib/http/collect";

/**
 * SPEC 2.2: the tracker's endpoint (lib/http/collect.ts). `npm start` answers it before Next.js
 * (lib/runtime/front-server.ts) with the same function; this route serves `next dev` and Vercel.
 */

export const dynamic = "force-dynamic";

export const POST = withGuard({ public: true }, collectPost);

export const OPTIONS = withGuard({ public: true }, collectPreflight);
