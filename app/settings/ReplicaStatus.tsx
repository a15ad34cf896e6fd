import { getDbHandle, getReadDb, hasReadReplica } from "@/lib/db/client";
import { replicaLag, type ReplicaLag } from "@/lib/db/replica";
import { EMBEDDED_SESSIONS_LIMIT, embeddedSize, type EmbeddedSize } from "@/lib/db/size-warning";
import { isDbUnavailable } from "@/lib/db/unavailable";
import type { Locale } from "@/lib/i18n/pick-locale";
import { getI18n } from "@/lib/http/locale";

/**
 * Settings → Database: the read replica's replication lag when DATABASE_READ_URL is set (read on
 * the replica: WAL received but not replayed, age of the last replayed transaction), and the
 * embedded database's size warning past EMBEDDED_SESSIONS_LIMIT sessions (move-to-postgres).
 * Renders nothing on a plain PostgreSQL without a replica.
 */

const STRINGS: Record<
  Locale,
  { title: string; replica: string; caughtUp: string; behind: (s: string, b: string) => string; noReplay: string; notReplica: string; down: string; size: (n: string, mb: string, limit: string) => string; move: string }
> = {
  uk: {
    title: "База даних",
    replica: "Репліка для читання (DATABASE_READ_URL)",
    caughtUp: "синхронізована, затримка 0 с",
    behind: (s, b) => `відстає на ${s} с (${b} байт WAL ще не застосовано)`,
    noReplay: "ще нічого не застосувала",
    notReplica: "це не репліка (pg_is_in_recovery() = false)",
    down: "недоступна",
    size: (n, mb, limit) => `Вбудована база містить ${n} сесій (${mb} МБ), більше ніж ${limit}: PostgreSQL відповідатиме помітно швидше.`,
    move: "Зупиніть застосунок, виконайте npm run utm -- move-to-postgres <DATABASE_URL> і запустіть його з DATABASE_URL.",
  },
  en: {
    title: "Database",
    replica: "Read replica (DATABASE_READ_URL)",
    caughtUp: "caught up, lag 0 s",
    behind: (s, b) => `${s} s behind (${b} bytes of WAL not replayed yet)`,
    noReplay: "nothing replayed yet",
    notReplica: "not a replica (pg_is_in_recovery() = false)",
    down: "unavailable",
    size: (n, mb, limit) => `The embedded database holds ${n} sessions (${mb} MB), past ${limit}: PostgreSQL will answer the reports clearly faster.`,
    move: "Stop the app, run npm run utm -- move-to-postgres <DATABASE_URL>, then start it with DATABASE_URL set.",
  },
};

export async function ReplicaStatus() {
  const { locale, fmt } = await getI18n();
  const s = STRINGS[locale];
  let lag: ReplicaLag | "down" | undefined;
  if (hasReadReplica()) {
    try {
      lag = await replicaLag(await getReadDb());
    } catch (err) {
      if (!isDbUnavailable(err)) throw err;
      lag = "down";
    }
  }
  const size: EmbeddedSize = await embeddedSize(await getDbHandle());
  if (!lag && !size.overLimit) return null;
  const lagText =
    lag === "down"
      ? s.down
      : !lag
        ? ""
        : !lag.inRecovery
          ? s.notReplica
          : lag.caughtUp
            ? s.caughtUp
            : lag.lagSeconds === null
              ? s.noReplay
              : s.behind(fmt.int(Math.round(lag.lagSeconds)), fmt.int(lag.replayBytes));
  return (
    <section id="database" aria-labelledby="database-title" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id="database-title" className="mb-3 text-base font-semibold text-slate-800">
        {s.title}
      </h2>
      {lag ? (
        <p className="text-sm text-slate-700">
          {s.replica}: <span data-testid="replica-lag">{lagText}</span>
        </p>
      ) : null}
      {size.overLimit ? (
        <p className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="size-warning">
          {s.size(fmt.int(size.sessions), fmt.int(Math.round(size.bytes / 1_048_576)), fmt.int(EMBEDDED_SESSIONS_LIMIT))} {s.move}
        </p>
      ) : null}
    </section>
  );
}
