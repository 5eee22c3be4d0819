import type { DbOrTx } from '../database.ts';
import type { UserRow } from '../schema.ts';

export async function insertUser(
  db: DbOrTx,
  row: Pick<UserRow, 'id' | 'workspace_id' | 'email' | 'name' | 'role' | 'password_hash' | 'language' | 'created_at'>,
) {
  await db.insertInto('users').values(row).execute();
}

export function findUserByEmail(db: DbOrTx, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function getUser(db: DbOrTx, workspaceId: string, id: string) {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function insertApiToken(
  db: DbOrTx,
  row: { id: string; workspaceId: string; userId: string; tokenHash: string; label: string; createdAt: Date },
) {
  await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      user_id: row.userId,
      token_hash: row.tokenHash,
      label: row.label,
      created_at: row.createdAt,
    })
    .execute();
}

/**
 * The token's owner, if the token is live (not revoked, not expired) and the owner active. `role`
 * is the token's own when it has one (never above its owner's: a lower owner role revokes it).
 */
export function findActiveToken(db: DbOrTx, tokenHash: string, now: Date) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as tokenId',
      'api_tokens.workspace_id as workspaceId',
      'api_tokens.expires_at as expiresAt',
      'users.id as userId',
      (eb) => eb.fn.coalesce('api_tokens.role', 'users.role').as('role'),
      'users.name as userName',
      'users.email as email',
      'users.language as language',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}
