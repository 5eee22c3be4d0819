import type { AppContext } from '../../app-context.ts';
import { insertFeedback } from '../../db/queries/guard-feedback-queries.ts';
import { type Actor, can } from '../../domain/actor.ts';
import { decideFalseAlarm, type GuardFeedback, type Span } from '../../domain/guard-feedback.ts';
import { CommandError } from '../command-error.ts';
import { inTransaction } from '../unit-of-work.ts';
import { guardEvent } from './feedback-events.ts';

export interface RecordFalseAlarmInput {
  workspaceId: string;
  actor: Actor;
  findingKind: string;
  /** The message the finding was shown on, and where the finding was. */
  text: string;
  span: Span;
  note?: string | undefined;
  /** A spelling finding: the agent would like the word in the workspace glossary (a proposal for an admin). */
  glossary?: boolean | undefined;
}

/** "Not a mistake" on a guard finding: recorded with who and when, never changed afterwards. */
export async function recordFalseAlarm(ctx: AppContext, input: RecordFalseAlarmInput): Promise<GuardFeedback> {
  if (!can(input.actor, 'guard.feedback.record')) throw new CommandError('forbidden');
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const decision = decideFalseAlarm({
      id: crypto.randomUUID(),
      workspaceId: input.workspaceId,
      userId: input.actor.userId,
      now,
      findingKind: input.findingKind,
      text: input.text,
      span: input.span,
      note: input.note,
      glossary: input.glossary,
    });
    if (!decision.ok) throw CommandError.from(decision.error);
    const feedback = decision.value;
    await insertFeedback(uow.trx, feedback);
    await uow.record([
      guardEvent(input.workspaceId, input.actor.userId, 'guard.false_alarm_reported', { feedbackId: feedback.id, kind: feedback.kind, glossary: feedback.glossary }, now),
    ]);
    return feedback;
  });
}
