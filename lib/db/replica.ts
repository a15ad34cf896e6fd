import { sql } from "drizzle-orm";
import { rows, type Db } from "./client";

/**
 * How far a streaming read replica (DATABASE_READ_URL) is behind its primary, read on the replica
 * itself: the WAL received but not yet replayed (bytes) and the age of the last replayed
 * transaction. When everything received is replayed the replica is caught up (lag 0) however old
 * the last transaction is: an idle primary writes nothing, and "now() - last replay" would grow.
 * `lagSeconds` is null when nothing was replayed yet since the replica started.
 */
export type ReplicaLag = { inRecovery: boolean; caughtUp: boolean; lagSeconds: number | null; replayBytes: number };

export async function replicaLag(readDb: Db): Promise<ReplicaLag> {
  const [r] = await rows<{ in_recovery: boolean; caught_up: boolean | null; lag_seconds: number | null; replay_bytes: number | null }>(
    readDb,
    sql`select pg_is_in_recovery() as in_recovery,
      (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()) as caught_up,
      extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as lag_seconds,
      pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 as replay_bytes`,
  );
  const caughtUp = !!r?.caught_up;
  return {
    inRecovery: !!r?.in_recovery,
    caughtUp,
    lagSeconds: caughtUp ? 0 : r?.lag_seconds == null ? null : Math.max(0, r.lag_seconds),
    replayBytes: Math.max(0, r?.replay_bytes ?? 0),
  };
}

/** Bytes of WAL each replica has not replayed yet, seen from the primary (pg_stat_replication). */
export async function replicasBehind(primary: Db): Promise<{ name: string; bytes: number }[]> {
  return rows<{ name: string; bytes: number }>(
    primary,
    sql`select coalesce(application_name, client_addr::text, '?')::text as name,
      coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 as bytes
      from pg_stat_replication order by 1`,
  );
}
