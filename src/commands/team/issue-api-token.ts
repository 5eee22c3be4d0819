import type { AppContext } from '../../app-context.ts';
import { hashToken, newApiToken } from '../../auth/secrets.ts';
import { getToken, insertRoleToken, recordTeamEvents } from '../../db/queries/team-queries.ts';
import type { Role } from '../../domain/actor.ts';
import { tokenAllowed } from '../../domain/team.ts';
import { inTransaction } from '../unit-of-work.ts';
import { orRefuse, requireCan, type TeamActor } from './team-common.ts';

/**
 * Someone makes an API token for themself: named, with a role within their own (their own role
 * by default) and an optional expiry. The clear token is returned once; only its hash is kept.
 */
export async function issueApiToken(ctx: AppContext, actor: TeamActor, input: { name: string; role?: Role | undefined; expiresAt?: Date | undefined }) {
  requireCan(actor, 'tokens.create');
  const now = ctx.clock.now();
  const role = input.role ?? actor.role;
  const expiresAt = input.expiresAt ?? null;
  orRefuse(tokenAllowed(actor.role, { role, expiresAt }, now), input.role && input.role !== actor.role ? 'forbidden' : 'validation_failed');
  const token = newApiToken();
  const id = crypto.randomUUID();
  return inTransaction(ctx, async (uow) => {
    await insertRoleToken(uow.trx, {
      id,
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      tokenHash: hashToken(token),
      label: input.name.trim(),
      role,
      expiresAt,
      createdAt: now,
    });
    await recordTeamEvents(uow.trx, [
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorKind: 'user',
        type: 'token.created',
        subjectUserId: actor.userId,
        subjectTokenId: id,
        at: now,
        data: { name: input.name.trim(), role, expiresAt: expiresAt?.toISOString() ?? null },
      },
    ]);
    return { token, row: (await getToken(uow.trx, actor.workspaceId, id))! };
  });
}
