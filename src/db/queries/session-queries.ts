import type { DbOrTx } from '../database.ts';

export async function insertSession(
  db: DbOrTx,
  row: { id: string; workspaceId: string; userId: string; tokenHash: string; createdAt: Date; expiresAt: Date },
) {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      user_id: row.userId,
      token_hash: row.tokenHash,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** The signed-in user behind a live session. */
export function findActiveSession(db: DbOrTx, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('workspaces', 'workspaces.id', 'sessions.workspace_id')
    .select([
      'sessions.workspace_id as workspaceId',
      'sessions.expires_at as expiresAt',
      'users.id as userId',
      'users.role as role',
      'users.name as userName',
      'users.totp_enabled_at as totpEnabledAt',
      'workspaces.require_totp as requireTotp',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeSession(db: DbOrTx, tokenHash: string, now: Date) {
  await db.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash).execute();
}

export function listUsers(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role'])
    .where('workspace_id', '=', workspaceId)
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
}
