import type { AppContext } from '../../app-context.ts';
import { hashToken } from '../../auth/secrets.ts';
import { newLinkToken } from '../../auth/one-time-secrets.ts';
import type { DbOrTx } from '../../db/database.ts';
import { emailTaken, getTeamMember, insertUserLink, recordTeamEvents } from '../../db/queries/team-queries.ts';
import { insertUser } from '../../db/queries/user-queries.ts';
import type { Role } from '../../domain/actor.ts';
import { INVITATION_SECONDS } from '../../domain/team.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { requireCan, type TeamActor, toUserView } from './team-common.ts';

export interface InviteInput {
  email: string;
  name: string;
  role: Role;
}

/**
 * An admin invites someone: the account exists at once (without a password) and a one-time link
 * valid 7 days lets them choose their password. The clear token is returned once; only its hash
 * is stored.
 */
export async function inviteUser(ctx: AppContext, actor: TeamActor, input: InviteInput) {
  requireCan(actor, 'users.manage');
  return inTransaction(ctx, (uow) =>
    createInvitedUser(ctx, uow.trx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user' }, input),
  );
}

/** Also used when a workspace is created for its first admin (by the platform operator or the CLI). */
export async function createInvitedUser(
  ctx: AppContext,
  trx: DbOrTx,
  by: { workspaceId: string; actorUserId: string | null; actorKind: 'user' | 'platform' | 'cli' },
  input: InviteInput,
) {
  const now = ctx.clock.now();
  const email = input.email.trim().toLowerCase();
  if (await emailTaken(trx, email)) {
    throw new CommandError(
      'conflict',
      { en: 'Someone already has an Errata account with this e-mail address.', fr: 'Quelqu’un a déjà un compte Errata avec cette adresse e-mail.' },
      { reason: 'email_taken' },
    );
  }
  const userId = crypto.randomUUID();
  await insertUser(trx, {
    id: userId,
    workspace_id: by.workspaceId,
    email,
    name: input.name.trim(),
    role: input.role,
    password_hash: null,
    language: null,
    created_at: now,
  });
  await trx.updateTable('users').set({ invited_by: by.actorUserId }).where('id', '=', userId).execute();
  const token = newLinkToken('invitation');
  const expiresAt = new Date(now.getTime() + INVITATION_SECONDS * 1000);
  await insertUserLink(trx, {
    id: crypto.randomUUID(),
    workspaceId: by.workspaceId,
    userId,
    kind: 'invitation',
    tokenHash: hashToken(token),
    createdBy: by.actorUserId,
    createdAt: now,
    expiresAt,
  });
  await recordTeamEvents(trx, [
    {
      workspaceId: by.workspaceId,
      actorUserId: by.actorUserId,
      actorKind: by.actorKind,
      type: 'user.invited',
      subjectUserId: userId,
      at: now,
      data: { role: input.role, expiresAt: expiresAt.toISOString() },
    },
  ]);
  const user = await getTeamMember(trx, by.workspaceId, userId);
  return { user: toUserView(user!, { expiresAt }, now), token, expiresAt };
}
