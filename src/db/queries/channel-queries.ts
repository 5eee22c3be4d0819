import type { DbOrTx } from '../database.ts';
import type { ChannelRow } from '../schema.ts';

export async function insertChannel(db: DbOrTx, row: ChannelRow) {
  await db
    .insertInto('channels')
    .values({ ...row, config: JSON.stringify(row.config) })
    .execute();
}

export async function updateChannel(db: DbOrTx, id: string, patch: Partial<ChannelRow>): Promise<ChannelRow> {
  const { config, ...rest } = patch;
  return db
    .updateTable('channels')
    .set({ ...rest, ...(config ? { config: JSON.stringify(config) } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listChannels(db: DbOrTx, workspaceId: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

export function getChannel(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Webhooks name the channel only by the provider's identifiers. */
export function getChannelById(db: DbOrTx, id: string) {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findChannelByExternalId(db: DbOrTx, type: ChannelRow['type'], externalId: string) {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('type', '=', type)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export function findChannelsByVerifyTokenHash(db: DbOrTx, hash: string) {
  return db.selectFrom('channels').selectAll().where('verify_token_hash', '=', hash).execute();
}
