import type { AppContext } from '../../app-context.ts';
import { recordTeamEvents } from '../../db/queries/team-queries.ts';
import { insertWorkspace } from '../../db/queries/workspace-queries.ts';
import { inTransaction } from '../unit-of-work.ts';
import { createInvitedUser } from './invite-user.ts';

export interface NewWorkspaceInput {
  name: string;
  adminEmail: string;
  adminName?: string | undefined;
  country?: string | undefined;
  language?: 'fr' | 'en' | undefined;
}

/**
 * A new workspace for a business, with its first admin invited (a one-time link valid 7 days:
 * they choose their own password; nobody else ever knows it). For people who host Errata for
 * several businesses: the platform operator (ERRATA_PLATFORM_TOKEN) or the CLI.
 */
export async function createWorkspaceWithInvitation(ctx: AppContext, input: NewWorkspaceInput, by: 'platform' | 'cli') {
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const workspace = {
      id: crypto.randomUUID(),
      name: input.name.trim(),
      country: input.country ?? 'FR',
      language: input.language ?? ('fr' as const),
    };
    await insertWorkspace(uow.trx, { ...workspace, createdAt: now });
    await recordTeamEvents(uow.trx, [{ workspaceId: workspace.id, actorUserId: null, actorKind: by, type: 'workspace.created', at: now, data: { name: workspace.name } }]);
    const admin = await createInvitedUser(
      ctx,
      uow.trx,
      { workspaceId: workspace.id, actorUserId: null, actorKind: by },
      { email: input.adminEmail, name: input.adminName?.trim() || input.adminEmail.split('@')[0]!, role: 'admin' },
    );
    return { workspace, admin: admin.user, token: admin.token, expiresAt: admin.expiresAt };
  });
}
