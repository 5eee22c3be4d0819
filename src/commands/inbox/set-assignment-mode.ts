import type { AppContext } from '../../app-context.ts';
import { recordTeamEvents } from '../../db/queries/team-queries.ts';
import { lockAssignmentTurn, setAssignmentMode } from '../../db/queries/inbox-queries.ts';
import { inTransaction } from '../unit-of-work.ts';
import { type InboxActor, requireCan } from './inbox-common.ts';

/** Manual assignment, or round-robin among active agents for new conversations (admins). */
export async function changeAssignmentMode(ctx: AppContext, actor: InboxActor, mode: 'manual' | 'round_robin'): Promise<void> {
  requireCan(actor, 'workspace.settings.manage');
  await inTransaction(ctx, async (uow) => {
    const current = await lockAssignmentTurn(uow.trx, actor.workspaceId);
    if (!current || current.assignment_mode === mode) return;
    await setAssignmentMode(uow.trx, actor.workspaceId, mode);
    await recordTeamEvents(uow.trx, [
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        actorKind: 'user',
        type: 'workspace.assignment_mode_changed',
        at: ctx.clock.now(),
        data: { from: current.assignment_mode, to: mode },
      },
    ]);
  });
}
