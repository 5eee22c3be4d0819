import type { AppContext } from '../../app-context.ts';
import { isCommonPassword } from '../../auth/common-passwords.ts';
import { hashPassword, verifyPassword } from '../../auth/secrets.ts';
import { getTeamMember, recordTeamEvents, revokeUserSessions, updateUser } from '../../db/queries/team-queries.ts';
import { passwordAcceptable } from '../../domain/team.ts';
import { CommandError, notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { orRefuse, type TeamActor, userNoun } from './team-common.ts';

const wrongCurrent = new CommandError(
  'forbidden',
  { en: 'Your current password is not right.', fr: 'Votre mot de passe actuel n’est pas le bon.' },
  { reason: 'current_password_wrong' },
);

/**
 * Someone changes their own password, the current one required. Their other sessions end (the
 * one they are using stays, identified by `keepSessionHash`).
 */
export async function changeOwnPassword(
  ctx: AppContext,
  actor: TeamActor,
  input: { current: string; next: string; keepSessionHash?: string | undefined },
) {
  const user = await getTeamMember(ctx.db, actor.workspaceId, actor.userId);
  if (!user) throw notFound(userNoun);
  if (!(await verifyPassword(input.current, user.password_hash))) throw wrongCurrent;
  orRefuse(passwordAcceptable(input.next, isCommonPassword, { email: user.email }), 'validation_failed');
  if (input.next === input.current) {
    throw new CommandError('validation_failed', { en: 'Choose a password different from the current one.', fr: 'Choisissez un mot de passe différent de l’actuel.' }, { reason: 'password_unchanged' });
  }
  const hash = await hashPassword(input.next);
  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    await updateUser(uow.trx, actor.workspaceId, actor.userId, { password_hash: hash, password_changed_at: now });
    await revokeUserSessions(uow.trx, actor.userId, now, input.keepSessionHash);
    await recordTeamEvents(uow.trx, [
      { workspaceId: actor.workspaceId, actorUserId: actor.userId, actorKind: 'user', type: 'user.password_changed', subjectUserId: actor.userId, at: now },
    ]);
  });
}
