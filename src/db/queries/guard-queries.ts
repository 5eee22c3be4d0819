import type { DbOrTx } from '../database.ts';

export function listCatalog(db: DbOrTx, workspaceId: string, options: { includeArchived: boolean }) {
  let query = db.selectFrom('catalog_items').selectAll().where('workspace_id', '=', workspaceId);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  return query.orderBy('name').execute();
}

export function getCatalogItem(db: DbOrTx, workspaceId: string, id: string) {
  return db
    .selectFrom('catalog_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertCatalogItem(
  db: DbOrTx,
  row: { id: string; workspaceId: string; name: string; price: number; currency: string; now: Date },
) {
  return db
    .insertInto('catalog_items')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      name: row.name,
      price: row.price,
      currency: row.currency,
      created_at: row.now,
      updated_at: row.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCatalogItem(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  change: { name?: string; price?: number; currency?: string; archivedAt?: Date | null; now: Date },
) {
  return db
    .updateTable('catalog_items')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.price !== undefined ? { price: change.price } : {}),
      ...(change.currency !== undefined ? { currency: change.currency } : {}),
      ...(change.archivedAt !== undefined ? { archived_at: change.archivedAt } : {}),
      updated_at: change.now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function updateWorkspaceGuardData(
  db: DbOrTx,
  workspaceId: string,
  change: {
    businessName?: string;
    country?: string;
    phones?: string[];
    emails?: string[];
    ibans?: string[];
    addresses?: string[];
    staff?: string[];
    guardPolicy?: Record<string, unknown>;
  },
) {
  const json = (v: unknown) => JSON.stringify(v);
  return db
    .updateTable('workspaces')
    .set({
      ...(change.businessName !== undefined ? { business_name: change.businessName } : {}),
      ...(change.country !== undefined ? { country: change.country } : {}),
      ...(change.phones !== undefined ? { business_phones: json(change.phones) } : {}),
      ...(change.emails !== undefined ? { business_emails: json(change.emails) } : {}),
      ...(change.ibans !== undefined ? { business_ibans: json(change.ibans) } : {}),
      ...(change.addresses !== undefined ? { business_addresses: json(change.addresses) } : {}),
      ...(change.staff !== undefined ? { staff_names: json(change.staff) } : {}),
      ...(change.guardPolicy !== undefined ? { guard_policy: json(change.guardPolicy) } : {}),
    })
    .where('id', '=', workspaceId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listUserNames(db: DbOrTx, workspaceId: string) {
  return db.selectFrom('users').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute();
}

/** Names of the contacts most recently written to: who a greeting may wrongly address. */
export function listRecentContactNames(db: DbOrTx, workspaceId: string, limit: number) {
  return db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select(['contacts.id as id', 'contacts.name as name'])
    .where('conversations.workspace_id', '=', workspaceId)
    .orderBy('conversations.last_message_at', 'desc')
    .limit(limit)
    .execute();
}

/** The last messages with this contact, oldest first: earlier quotes for the price check. */
export async function listRecentHistory(db: DbOrTx, workspaceId: string, contactId: string, limit: number) {
  const rows = await db
    .selectFrom('messages')
    .select(['direction', 'text'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('status', 'not in', ['cancelled', 'rejected', 'failed'])
    .where('revoked_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}
