import { sql } from 'kysely';
import type { DbOrTx } from '../database.ts';

/**
 * Takes (or renews) the sender lane of a channel for `owner` for `seconds`, unless another owner
 * holds an unexpired lease. Two processes racing for a free lane: the row lock makes one win.
 * Answers whether `owner` holds it now, and who held the row before (null: nobody ever did).
 */
export async function acquireSendLane(
  db: DbOrTx,
  channelId: string,
  owner: string,
  seconds: number,
): Promise<{ held: boolean; previousOwner: string | null }> {
  const result = await sql<{ held: boolean; previous_owner: string | null }>`
    with previous as (select owner from send_lanes where channel_id = ${channelId}::uuid),
    taken as (
      insert into send_lanes (channel_id, owner, lease_until, acquired_at)
      values (${channelId}::uuid, ${owner}, now() + make_interval(secs => ${seconds}), now())
      on conflict (channel_id) do update set
        owner = excluded.owner,
        lease_until = excluded.lease_until,
        acquired_at = case when send_lanes.owner = excluded.owner then send_lanes.acquired_at else excluded.acquired_at end
      where send_lanes.owner = excluded.owner or send_lanes.lease_until < now()
      returning owner
    )
    select exists (select 1 from taken) as held, (select owner from previous) as previous_owner`.execute(db);
  const row = result.rows[0]!;
  return { held: row.held, previousOwner: row.previous_owner };
}

/** Extends every lease `owner` still holds among `channelIds`; answers the ones it still holds. */
export async function renewSendLanes(db: DbOrTx, channelIds: readonly string[], owner: string, seconds: number): Promise<string[]> {
  if (channelIds.length === 0) return [];
  const result = await sql<{ channel_id: string }>`
    update send_lanes set lease_until = now() + make_interval(secs => ${seconds})
    where channel_id = any(${[...channelIds]}::uuid[]) and owner = ${owner} and lease_until >= now()
    returning channel_id`.execute(db);
  return result.rows.map((r) => r.channel_id);
}

/** Gives lanes up (a clean stop, an idle lane): another process may take them at once. */
export async function releaseSendLanes(db: DbOrTx, channelIds: readonly string[], owner: string): Promise<void> {
  if (channelIds.length === 0) return;
  await sql`delete from send_lanes where channel_id = any(${[...channelIds]}::uuid[]) and owner = ${owner}`.execute(db);
}

/** Who holds which lane now (tests, operators). */
export async function listSendLanes(db: DbOrTx, channelIds: readonly string[]): Promise<{ channelId: string; owner: string; leaseUntil: Date }[]> {
  if (channelIds.length === 0) return [];
  const result = await sql<{ channel_id: string; owner: string; lease_until: Date }>`
    select channel_id, owner, lease_until from send_lanes
    where channel_id = any(${[...channelIds]}::uuid[]) and lease_until >= now()`.execute(db);
  return result.rows.map((r) => ({ channelId: r.channel_id, owner: r.owner, leaseUntil: new Date(r.lease_until) }));
}

/**
 * Claims a lane no longer holds are given back before any provider call (their lease cleared):
 * the process that holds the lane now sends them. The attempt stays counted and recorded.
 */
export async function unclaimMessages(db: DbOrTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update messages set send_lease_until = null
    where id = any(${[...ids]}::uuid[]) and status = 'queued' and send_lease_until is not null`.execute(db);
}
