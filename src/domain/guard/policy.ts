// Policy: per workspace, an action per category or kind. The verdict is the strongest action.

import type { GuardAction, GuardDecision, GuardFinding, GuardPolicy } from './types.ts';

const RANK: Record<GuardAction, number> = { pass: 0, warn: 1, review: 2, block: 3 };

export const defaultGuardPolicy: GuardPolicy = {
  // Payment data and credentials never leave; other personal data, price and recipient need a second pair of eyes.
  kinds: { 'pii.card': 'block', 'pii.iban': 'block', 'pii.credential': 'block' },
  categories: { pii: 'review', price: 'review', recipient: 'review', tone: 'warn', spelling: 'warn' },
  // A heated reply gets a longer undo window: time to think twice.
  holdExtensionSeconds: { tone: 30 },
};

export function actionFor(finding: GuardFinding, policy: GuardPolicy): GuardAction {
  return policy.kinds?.[finding.kind] ?? policy.categories[finding.category] ?? 'warn';
}

export function strongestAction(actions: Iterable<GuardAction>): GuardAction {
  let best: GuardAction = 'pass';
  for (const a of actions) if (RANK[a] > RANK[best]) best = a;
  return best;
}

export function decideVerdict(findings: readonly GuardFinding[], policy: GuardPolicy = defaultGuardPolicy): GuardDecision {
  const actions = findings.map((finding) => ({ finding, action: actionFor(finding, policy) }));
  let holdExtensionSeconds = 0;
  const counted = new Set<string>();
  for (const { finding, action } of actions) {
    if (action === 'pass' || counted.has(finding.category)) continue;
    counted.add(finding.category);
    holdExtensionSeconds = Math.max(holdExtensionSeconds, policy.holdExtensionSeconds?.[finding.category] ?? 0);
  }
  return { verdict: strongestAction(actions.map((a) => a.action)), actions, holdExtensionSeconds };
}
