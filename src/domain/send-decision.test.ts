import { describe, expect, it } from 'vitest';
import type { GuardAction, GuardDecision, GuardFinding, GuardKind } from './guard/types.ts';
import { decideSend } from './send-decision.ts';

function finding(kind: GuardKind): GuardFinding {
  return { kind, category: kind.split('.')[0] as GuardFinding['category'], severity: 'warn', start: 0, end: 1, message: 'x' };
}

function decision(verdict: GuardAction, actions: [GuardKind, GuardAction][], holdExtensionSeconds = 0): GuardDecision {
  return { verdict, actions: actions.map(([kind, action]) => ({ finding: finding(kind), action })), holdExtensionSeconds };
}

const base = { baseHoldSeconds: 5, warnHoldSeconds: 15 };

describe('decideSend', () => {
  it('pass keeps the normal hold', () => {
    expect(decideSend({ ...base, guard: decision('pass', []), acknowledge: [] })).toEqual({
      outcome: 'send',
      holdSeconds: 5,
      acknowledged: [],
      unacknowledgedWarnings: [],
    });
  });

  it('an unacknowledged warning lengthens the hold by the larger of the warn hold and the policy extension', () => {
    const spelling = decideSend({ ...base, guard: decision('warn', [['spelling.word', 'warn']]), acknowledge: [] });
    expect(spelling).toMatchObject({ outcome: 'send', holdSeconds: 20, unacknowledgedWarnings: ['spelling.word'] });
    const tone = decideSend({ ...base, guard: decision('warn', [['tone.shouting', 'warn']], 30), acknowledge: [] });
    expect(tone).toMatchObject({ outcome: 'send', holdSeconds: 35 });
  });

  it('acknowledging every warning removes the extension and is recorded; unknown kinds are ignored', () => {
    const result = decideSend({
      ...base,
      guard: decision('warn', [
        ['tone.shouting', 'warn'],
        ['spelling.word', 'warn'],
      ]),
      acknowledge: ['spelling.word', 'tone.shouting', 'pii.iban', 'tone.shouting'],
    });
    expect(result).toEqual({
      outcome: 'send',
      holdSeconds: 5,
      acknowledged: ['spelling.word', 'tone.shouting'],
      unacknowledgedWarnings: [],
    });
  });

  it('acknowledging only some warnings keeps the extension', () => {
    const result = decideSend({
      ...base,
      guard: decision('warn', [
        ['tone.shouting', 'warn'],
        ['spelling.word', 'warn'],
      ]),
      acknowledge: ['spelling.word'],
    });
    expect(result).toMatchObject({ holdSeconds: 20, unacknowledgedWarnings: ['tone.shouting'] });
  });

  it('review waits for approval whatever is acknowledged; block refuses with the blocking findings', () => {
    const review = decideSend({ ...base, guard: decision('review', [['pii.phone', 'review']]), acknowledge: ['pii.phone'] });
    expect(review).toEqual({ outcome: 'review', holdSeconds: 5, acknowledged: ['pii.phone'] });
    const block = decideSend({
      ...base,
      guard: decision('block', [
        ['pii.iban', 'block'],
        ['spelling.word', 'warn'],
      ]),
      acknowledge: ['pii.iban'],
    });
    expect(block.outcome).toBe('blocked');
    if (block.outcome === 'blocked') expect(block.blocking.map((b) => b.finding.kind)).toEqual(['pii.iban']);
  });
});
