import { ApiError, post } from './api.ts';
import type { AllowEntry, Finding, GuardFeedback, MistakeKind } from './types.ts';

/** The guard category a Fix-dialog mistake belongs to (none for mistakes the guard does not check). */
export const MISTAKE_CATEGORY: Partial<Record<MistakeKind, Finding['category']>> = {
  typo: 'spelling',
  wrong_price: 'price',
  confidential: 'pii',
  wrong_recipient: 'recipient',
  tone: 'tone',
};

/** "Not a mistake" on a finding shown for `text`; `glossary` asks for the word to join the glossary. */
export function reportFalseAlarm(text: string, finding: Pick<Finding, 'kind' | 'start' | 'end'>, glossary = false): Promise<GuardFeedback> {
  return post<GuardFeedback>('guard/feedback', {
    verdict: 'false_alarm',
    findingKind: finding.kind,
    text,
    span: { start: finding.start, end: finding.end },
    ...(glossary ? { glossary: true } : {}),
  });
}

/** "Report a missed mistake": the message as sent and what was wrong with it (a guard category). */
export function reportMissedMistake(text: string, category: Finding['category']): Promise<GuardFeedback> {
  return post<GuardFeedback>('guard/feedback', { verdict: 'missed', kind: category, text });
}

/** Admins: the word joins the workspace glossary at once (already there counts as done). */
export async function addGlossaryWord(word: string): Promise<void> {
  try {
    await post<AllowEntry>('guard/glossary', { word });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'conflict') return;
    throw error;
  }
}
