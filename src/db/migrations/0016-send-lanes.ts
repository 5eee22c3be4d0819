import { type Kysely, sql } from 'kysely';

/**
 * Who sends for each channel (issue 13): several Errata processes may share one database, and a
 * number's rate limit holds only if one of them at a time paces its sends. The owner renews its
 * lease; when it stops renewing (it died), another process takes the lane once the lease ran out.
 * Times here are the database's own (`now()`): the lease coordinates processes, possibly on
 * several machines, and is no business rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table send_lanes (
      channel_id uuid primary key,
      owner text not null,
      lease_until timestamptz not null,
      acquired_at timestamptz not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table send_lanes`.execute(db);
}
