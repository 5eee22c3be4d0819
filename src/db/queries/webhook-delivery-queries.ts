import { sql } from 'kysely';
import type { DbOrTx } from '../database.ts';

export interface DeliveryRecord {
  id: string;
  provider: 'whatsapp-cloud' | 'evolution';
  channelIds: string[];
  receivedAt: Date;
  body: Buffer | null;
  bodySize: number;
  mediaExtracted: boolean;
  outcome: 'stored' | 'too_large';
  headers: Record<string, string>;
}

export interface MediaRecord {
  workspaceId: string;
  sha256: string;
  mimeType: string | null;
  bytes: Buffer;
  at: Date;
}

/**
 * Media bytes, once per workspace and content (append-only). The bytes travel as base64 text and
 * are decoded by the database: a bytea parameter is hex-encoded on the way, which for a 5 MB image
 * took ~1.2 s on PGlite against ~80 ms this way (reading: ~330 ms against ~35 ms).
 */
export async function storeMedia(db: DbOrTx, media: readonly MediaRecord[]): Promise<void> {
  for (const m of media) {
    await db
      .insertInto('media_objects')
      .values({
        workspace_id: m.workspaceId,
        sha256: m.sha256,
        mime_type: m.mimeType,
        size: m.bytes.length,
        bytes: sql<Uint8Array>`decode(${m.bytes.toString('base64')}::text, 'base64')`,
        created_at: m.at,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'sha256']).doNothing())
      .execute();
  }
}

export async function getMedia(db: DbOrTx, workspaceId: string, sha256: string) {
  const row = await db
    .selectFrom('media_objects')
    .select(['workspace_id', 'sha256', 'mime_type', 'size', 'created_at', sql<string>`encode(bytes, 'base64')`.as('base64')])
    .where('workspace_id', '=', workspaceId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row) return undefined;
  const { base64, ...rest } = row;
  return { ...rest, bytes: Buffer.from(base64, 'base64') };
}

export async function insertDeliveries(db: DbOrTx, deliveries: readonly DeliveryRecord[]): Promise<void> {
  if (deliveries.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      deliveries.map((d) => ({
        id: d.id,
        provider: d.provider,
        channel_ids: sql<string[]>`${d.channelIds}::uuid[]`,
        received_at: d.receivedAt,
        body: d.body,
        body_size: d.bodySize,
        media_extracted: d.mediaExtracted,
        outcome: d.outcome,
        headers: JSON.stringify(d.headers),
      })),
    )
    .execute();
}

/** Stored deliveries received since `since`, oldest first (optionally only those touching some channels). */
export function listDeliveriesSince(db: DbOrTx, since: Date, options: { afterSeq?: number; limit: number; channelIds?: readonly string[] }) {
  let query = db
    .selectFrom('webhook_deliveries')
    .select(['id', 'seq', 'provider', 'channel_ids', 'received_at', 'body', 'outcome'])
    .where('received_at', '>=', since)
    .where('outcome', '=', 'stored')
    .where('seq', '>', options.afterSeq ?? 0);
  if (options.channelIds) query = query.where(sql<boolean>`channel_ids && ${[...options.channelIds]}::uuid[]`);
  return query.orderBy('seq').limit(options.limit).execute();
}
