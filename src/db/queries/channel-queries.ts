import type { DbOrTx } from '../database.ts';
import type { ChannelRow } from '../schema.ts';

export async function insertChannel(db: DbOrTx, row: ChannelRow) {
  await db
    .insertInto('channels')
    .values({ ...row, config: JSON.stringify(row.config) })
    .execute();
}

export function listChannels(db: DbOrTx, workspaceId: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

export function getChannel(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}
