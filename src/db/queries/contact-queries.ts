import type { DbOrTx } from '../database.ts';
import type { ContactRow } from '../schema.ts';

export async function insertContact(db: DbOrTx, row: ContactRow) {
  await db.insertInto('contacts').values(row).execute();
}

export function getContact(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function findContactByPhone(db: DbOrTx, workspaceId: string, phone: string) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('phone', '=', phone)
    .executeTakeFirst();
}

export function listContacts(db: DbOrTx, workspaceId: string, limit: number) {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').limit(limit).execute();
}
