import type { AppContext } from '../../app-context.ts';
import { listAllowEntries } from '../../db/queries/guard-feedback-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { type AllowEntry, decideGlossaryWord } from '../../domain/guard-feedback.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { saveAllowEntry } from './add-allowlist-entry.ts';

/**
 * Admins: a word for the workspace glossary. The glossary is the allow-list's entries of kind
 * `spelling.word` (docs/decisions.md): the spelling check stops flagging the word.
 */
export async function addGlossaryWord(ctx: AppContext, input: { workspaceId: string; actor: Actor; word: string }): Promise<AllowEntry> {
  if (!can(input.actor, 'guard.allowlist.manage')) throw new CommandError('forbidden');
  const entry = await inTransaction(ctx, async (uow) => {
    const active = await listAllowEntries(uow.trx, input.workspaceId, { includeRemoved: false });
    const decision = decideGlossaryWord(
      { id: crypto.randomUUID(), workspaceId: input.workspaceId, userId: input.actor.userId, now: ctx.clock.now(), word: input.word },
      active,
    );
    if (!decision.ok) throw CommandError.from(decision.error);
    return saveAllowEntry(uow, decision.value);
  });
  ctx.guardData.invalidate(input.workspaceId);
  return entry;
}
