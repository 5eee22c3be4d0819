import type { DbOrTx } from '../database.ts';

export async function insertWorkspace(
  db: DbOrTx,
  row: { id: string; name: string; country: string; language: string; createdAt: Date },
) {
  await db
    .insertInto('workspaces')
    .values({ id: row.id, name: row.name, country: row.country, language: row.language, created_at: row.createdAt })
    .execute();
}

export async function countWorkspaces(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function getWorkspace(db: DbOrTx, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}
