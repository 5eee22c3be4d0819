import { sql } from 'kysely';
import type { Role } from '../../domain/actor.ts';
import type { DbOrTx } from '../database.ts';

// ——— People

const userColumns = [
  'users.id',
  'users.workspace_id',
  'users.email',
  'users.name',
  'users.role',
  'users.created_at',
  'users.disabled_at',
  'users.password_hash',
  'users.totp_enabled_at',
  'users.invited_by',
] as const;

/** Everyone in the workspace, active or not, with whether they have accepted their invitation. */
export function listTeam(db: DbOrTx, workspaceId: string) {
  return db.selectFrom('users').select(userColumns).where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
}

export function getTeamMember(db: DbOrTx, workspaceId: string, userId: string) {
  return db.selectFrom('users').select(userColumns).where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst();
}

export function emailTaken(db: DbOrTx, email: string) {
  return db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function updateUser(
  db: DbOrTx,
  workspaceId: string,
  userId: string,
  patch: { role?: Role; name?: string; disabled_at?: Date | null; password_hash?: string; password_changed_at?: Date },
) {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('users').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', userId).execute();
}

/** Ends every open session of a user (deactivation, password change or reset). */
export async function revokeUserSessions(db: DbOrTx, userId: string, now: Date, exceptTokenHash?: string) {
  let query = db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptTokenHash) query = query.where('token_hash', '<>', exceptTokenHash);
  await query.execute();
}

// ——— One-time links (invitations, password resets)

export async function insertUserLink(
  db: DbOrTx,
  row: {
    id: string;
    workspaceId: string;
    userId: string;
    kind: 'invitation' | 'password_reset';
    tokenHash: string;
    createdBy: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
) {
  await db
    .insertInto('user_links')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      user_id: row.userId,
      kind: row.kind,
      token_hash: row.tokenHash,
      created_by: row.createdBy,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** A newer link replaces the older ones of the same kind: they stop working. */
export async function retireUserLinks(db: DbOrTx, userId: string, kind: 'invitation' | 'password_reset', now: Date) {
  await db.updateTable('user_links').set({ used_at: now }).where('user_id', '=', userId).where('kind', '=', kind).where('used_at', 'is', null).execute();
}

/** The link and its user, locked until the transaction ends (two tabs accepting at once: one wins). */
export function findUserLinkForUpdate(db: DbOrTx, tokenHash: string, kind: 'invitation' | 'password_reset') {
  return db
    .selectFrom('user_links')
    .innerJoin('users', 'users.id', 'user_links.user_id')
    .select([
      'user_links.id as linkId',
      'user_links.expires_at as expiresAt',
      'user_links.used_at as usedAt',
      'users.id as userId',
      'users.workspace_id as workspaceId',
      'users.email as email',
      'users.disabled_at as disabledAt',
      'users.totp_enabled_at as totpEnabledAt',
    ])
    .where('user_links.token_hash', '=', tokenHash)
    .where('user_links.kind', '=', kind)
    .forUpdate()
    .executeTakeFirst();
}

export async function markUserLinkUsed(db: DbOrTx, linkId: string, now: Date) {
  await db.updateTable('user_links').set({ used_at: now }).where('id', '=', linkId).execute();
}

/** Unused invitations per user, expired or not (the Team page shows when each expires or expired). */
export function pendingInvitations(db: DbOrTx, workspaceId: string, userId?: string) {
  let query = db
    .selectFrom('user_links')
    .select(['user_id', 'expires_at'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'invitation')
    .where('used_at', 'is', null);
  if (userId) query = query.where('user_id', '=', userId);
  return query.execute();
}

// ——— API tokens

export async function insertRoleToken(
  db: DbOrTx,
  row: { id: string; workspaceId: string; userId: string; tokenHash: string; label: string; role: Role; expiresAt: Date | null; createdAt: Date },
) {
  await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      workspace_id: row.workspaceId,
      user_id: row.userId,
      token_hash: row.tokenHash,
      label: row.label,
      role: row.role,
      expires_at: row.expiresAt,
      created_at: row.createdAt,
    })
    .execute();
}

const tokenColumns = [
  'api_tokens.id',
  'api_tokens.user_id',
  'api_tokens.label',
  'api_tokens.role',
  'api_tokens.created_at',
  'api_tokens.expires_at',
  'api_tokens.last_used_at',
  'api_tokens.revoked_at',
  'users.name as user_name',
  'users.role as user_role',
] as const;

/** Tokens of a workspace (or of one user), newest first, revoked ones included. */
export function listTokens(db: DbOrTx, workspaceId: string, userId?: string) {
  let query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(tokenColumns)
    .where('api_tokens.workspace_id', '=', workspaceId);
  if (userId) query = query.where('api_tokens.user_id', '=', userId);
  return query.orderBy('api_tokens.created_at', 'desc').orderBy('api_tokens.id').execute();
}

export function getToken(db: DbOrTx, workspaceId: string, tokenId: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(tokenColumns)
    .where('api_tokens.workspace_id', '=', workspaceId)
    .where('api_tokens.id', '=', tokenId)
    .executeTakeFirst();
}

export async function revokeTokens(db: DbOrTx, tokenIds: readonly string[], by: string | null, now: Date) {
  if (tokenIds.length === 0) return;
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', 'in', tokenIds)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Live tokens of a user that have a role of their own (those without one act with their owner's, whatever it is). */
export function liveTokensOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', sql<Role>`role`.as('role')])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('role', 'is not', null)
    .execute();
}

/** Written at most once a minute per token (the lookup cache already spares most requests). */
export async function touchToken(db: DbOrTx, tokenId: string, now: Date) {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]))
    .execute();
}

// ——— Two-factor sign-in

export function getTotpState(db: DbOrTx, userId: string) {
  return db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .select([
      'users.totp_secret',
      'users.totp_pending_secret',
      'users.totp_enabled_at',
      'users.totp_last_step',
      'workspaces.require_totp',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export async function setTotp(
  db: DbOrTx,
  userId: string,
  patch: { totp_secret?: string | null; totp_pending_secret?: string | null; totp_enabled_at?: Date | null; totp_last_step?: string | null },
) {
  await db.updateTable('users').set(patch).where('id', '=', userId).execute();
}

/** Records the step a code was accepted for, only if it is newer than the last one (no replay, even concurrently). */
export async function claimTotpStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: String(step) })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb(sql`totp_last_step`, '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replacePendingRecoveryCodes(db: DbOrTx, userId: string, hashes: readonly string[], now: Date) {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).where('pending', '=', true).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('totp_recovery_codes')
    .values(hashes.map((hash) => ({ id: crypto.randomUUID(), user_id: userId, code_hash: hash, pending: true, created_at: now })))
    .execute();
}

/** The pending codes become the user's codes; the older ones stop working. */
export async function activateRecoveryCodes(db: DbOrTx, userId: string) {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).where('pending', '=', false).execute();
  await db.updateTable('totp_recovery_codes').set({ pending: false }).where('user_id', '=', userId).execute();
}

export async function clearRecoveryCodes(db: DbOrTx, userId: string) {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
}

/** Uses a recovery code once: true when it was live and is now spent. */
export async function spendRecoveryCode(db: DbOrTx, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('pending', '=', false)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) >= 1;
}

export async function countRecoveryCodesLeft(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('totp_recovery_codes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('pending', '=', false)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setWorkspaceRequireTotp(db: DbOrTx, workspaceId: string, required: boolean) {
  await db.updateTable('workspaces').set({ require_totp: required }).where('id', '=', workspaceId).execute();
}

// ——— Who did what

export interface TeamEvent {
  workspaceId: string;
  actorUserId: string | null;
  actorKind: 'user' | 'platform' | 'cli' | 'link';
  type: string;
  subjectUserId?: string | null;
  subjectTokenId?: string | null;
  at: Date;
  /** Never a secret: no token, code, password or link. */
  data?: Record<string, unknown>;
}

export async function recordTeamEvents(db: DbOrTx, events: readonly TeamEvent[]) {
  if (events.length === 0) return;
  await db
    .insertInto('team_events')
    .values(
      events.map((e) => ({
        workspace_id: e.workspaceId,
        actor_user_id: e.actorUserId,
        actor_kind: e.actorKind,
        type: e.type,
        subject_user_id: e.subjectUserId ?? null,
        subject_token_id: e.subjectTokenId ?? null,
        at: e.at,
        data: JSON.stringify(e.data ?? {}),
      })),
    )
    .execute();
}

export function listTeamEvents(db: DbOrTx, workspaceId: string, limit = 200) {
  return db.selectFrom('team_events').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq', 'desc').limit(limit).execute();
}
