import type { GuardDecision, GuardFindingAction } from './guard/types.ts';

/**
 * What the guard's verdict means for a message being sent (issue: pre-send guard, send path):
 * `block` → refused, nothing stored; `review` → waits for a colleague's approval; `warn` → a
 * longer hold (undo window) unless the author acknowledged every warning; `pass` → the normal hold.
 * Acknowledging never lifts a block or a review.
 */
export type SendDecision =
  | { outcome: 'blocked'; blocking: GuardFindingAction[] }
  | { outcome: 'review'; holdSeconds: number; acknowledged: string[] }
  | { outcome: 'send'; holdSeconds: number; acknowledged: string[]; unacknowledgedWarnings: string[] };

export interface SendDecisionInput {
  guard: GuardDecision;
  /** Kinds the author says they read and accept. */
  acknowledge: readonly string[];
  baseHoldSeconds: number;
  /** Extra hold for any unacknowledged warning (the policy may add more per category). */
  warnHoldSeconds: number;
}

export function decideSend(input: SendDecisionInput): SendDecision {
  const { guard } = input;
  const present = new Set<string>(guard.actions.filter((a) => a.action !== 'pass').map((a) => a.finding.kind));
  const acknowledged = [...new Set(input.acknowledge)].filter((kind) => present.has(kind)).sort();
  if (guard.verdict === 'block') {
    return { outcome: 'blocked', blocking: guard.actions.filter((a) => a.action === 'block') };
  }
  if (guard.verdict === 'review') return { outcome: 'review', holdSeconds: input.baseHoldSeconds, acknowledged };
  const unacknowledged = [
    ...new Set(guard.actions.filter((a) => a.action === 'warn' && !acknowledged.includes(a.finding.kind)).map((a) => a.finding.kind)),
  ].sort();
  const extension = unacknowledged.length > 0 ? Math.max(input.warnHoldSeconds, guard.holdExtensionSeconds) : 0;
  return { outcome: 'send', holdSeconds: input.baseHoldSeconds + extension, acknowledged, unacknowledgedWarnings: unacknowledged };
}
