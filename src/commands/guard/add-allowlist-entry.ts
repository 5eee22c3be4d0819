import type { AppContext } from '../../app-context.ts';
import { insertAllowEntry, listAllowEntries } from '../../db/queries/guard-feedback-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { type AllowEntry, decideAllowEntry } from '../../domain/guard-feedback.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction, type UnitOfWork } from '../unit-of-work.ts';
import { guardEvent } from './feedback-events.ts';

export interface AddAllowEntryInput {
  workspaceId: string;
  actor: Actor;
  text: string;
  kind?: string | undefined;
  category?: string | undefined;
}

/** Admins: a phrase the guard must no longer flag (for one kind, one category, or every finding). */
export async function addAllowListEntry(ctx: AppContext, input: AddAllowEntryInput): Promise<AllowEntry> {
  if (!can(input.actor, 'guard.allowlist.manage')) throw new CommandError('forbidden');
  const entry = await inTransaction(ctx, async (uow) => {
    const active = await listAllowEntries(uow.trx, input.workspaceId, { includeRemoved: false });
    const decision = decideAllowEntry(
      {
        id: crypto.randomUUID(),
        workspaceId: input.workspaceId,
        userId: input.actor.userId,
        now: ctx.clock.now(),
        text: input.text,
        kind: input.kind,
        category: input.category,
      },
      active,
    );
    if (!decision.ok) throw CommandError.from(decision.error);
    return saveAllowEntry(uow, decision.value);
  });
  ctx.guardData.invalidate(input.workspaceId);
  return entry;
}

const alreadyAllowed = {
  en: 'This phrase is already on the allow-list for these findings.',
  fr: 'Cette expression figure déjà dans la liste autorisée pour ces alertes.',
};

/** Saves a decided entry and records it (shared with the glossary). Two admins at once: the unique index decides. */
export async function saveAllowEntry(uow: UnitOfWork, entry: AllowEntry): Promise<AllowEntry> {
  try {
    await insertAllowEntry(uow.trx, entry);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new CommandError('conflict', alreadyAllowed, { reason: 'already_allowed' });
    throw error;
  }
  await uow.record([
    guardEvent(
      entry.workspaceId,
      entry.createdBy,
      'guard.allowlist_entry_added',
      { entryId: entry.id, kind: entry.kind, category: entry.category },
      entry.createdAt,
    ),
  ]);
  return entry;
}
