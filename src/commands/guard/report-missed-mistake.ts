import type { AppContext } from '../../app-context.ts';
import { insertFeedback } from '../../db/queries/guard-feedback-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { decideMissedMistake, type GuardFeedback, type Span } from '../../domain/guard-feedback.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { guardEvent } from './feedback-events.ts';

export interface ReportMissedMistakeInput {
  workspaceId: string;
  actor: Actor;
  /** A guard kind or category (`tone`, `price`, `pii.phone`…). */
  kind: string;
  /** The message as it went out. */
  text: string;
  /** Where the mistake is, when the agent marked it. */
  span?: Span | undefined;
  note?: string | undefined;
}

/** "Report a missed mistake": the original text with its label, for the workspace's own test set. */
export async function reportMissedMistake(ctx: AppContext, input: ReportMissedMistakeInput): Promise<GuardFeedback> {
  if (!can(input.actor, 'guard.feedback.record')) throw new CommandError('forbidden');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const decision = decideMissedMistake({
      id: crypto.randomUUID(),
      workspaceId: input.workspaceId,
      userId: input.actor.userId,
      now,
      kind: input.kind,
      text: input.text,
      span: input.span,
      note: input.note,
    });
    if (!decision.ok) throw CommandError.from(decision.error);
    const feedback = decision.value;
    await insertFeedback(uow.trx, feedback);
    await uow.record([guardEvent(input.workspaceId, input.actor.userId, 'guard.missed_mistake_reported', { feedbackId: feedback.id, kind: feedback.kind }, now)]);
    return feedback;
  });
}
