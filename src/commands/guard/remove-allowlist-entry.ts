import type { AppContext } from '../../app-context.ts';
import { getAllowEntry, markAllowEntryRemoved } from '../../db/queries/guard-feedback-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { type AllowEntry, decideRemoval } from '../../domain/guard-feedback.ts';
import { CommandError, notFound } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { guardEvent } from './feedback-events.ts';

export const allowEntryNoun = { en: 'Allow-list entry', fr: 'Entrée de la liste autorisée' };

/** Admins: the guard flags the phrase again. The entry stays, marked removed (who and when); removing twice is a no-op. */
export async function removeAllowListEntry(ctx: AppContext, input: { workspaceId: string; actor: Actor; entryId: string }): Promise<AllowEntry> {
  if (!can(input.actor, 'guard.allowlist.manage')) throw new CommandError('forbidden');
  const result = await inTransaction(ctx, async (uow) => {
    const entry = await getAllowEntry(uow.trx, input.workspaceId, input.entryId);
    if (!entry) throw notFound(allowEntryNoun);
    const now = ctx.clock.now();
    const decision = decideRemoval(entry, input.actor.userId, now);
    if (!decision.changed) return decision;
    if (!(await markAllowEntryRemoved(uow.trx, decision.entry))) {
      // Another admin removed it between our read and our write: theirs is the removal on record.
      return { changed: false, entry: (await getAllowEntry(uow.trx, input.workspaceId, input.entryId))! };
    }
    await uow.record([guardEvent(input.workspaceId, input.actor.userId, 'guard.allowlist_entry_removed', { entryId: entry.id }, now)]);
    return decision;
  });
  if (result.changed) ctx.guardData.invalidate(input.workspaceId);
  return result.entry;
}
