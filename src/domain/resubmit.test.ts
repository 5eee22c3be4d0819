import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { decideCancel, decideResubmit, type MessageState } from './message-lifecycle.ts';

// Issue 11, defect 5: a message awaiting approval can be withdrawn by its author, and a rejected
// one edited and resubmitted — the customer never received either.
const T0 = new Date('2025-03-10T09:00:00.000Z');
const author: Actor = { userId: 'u-alice', role: 'agent' };
const colleague: Actor = { userId: 'u-bob', role: 'agent' };
const guard = { verdict: 'warn', findings: [{ kind: 'spelling.word' }], acknowledged: [] };

function message(overrides: Partial<MessageState> = {}): MessageState {
  return {
    direction: 'out',
    authorUserId: author.userId,
    status: 'rejected',
    text: 'Call Marc on +33 6 12 34 56 78.',
    version: 1,
    holdUntil: null,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    deletedForMeAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe('withdrawing a message awaiting approval', () => {
  it('the author cancels it; a colleague may not', () => {
    const waiting = message({ status: 'awaiting_approval' });
    const decision = decideCancel(waiting, author, T0);
    expect(decision.ok && decision.patch.status).toBe('cancelled');
    const refused = decideCancel(waiting, colleague, T0);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
  });
});

describe('resubmitting a rejected message', () => {
  it('keeps the old text as a version and goes back for approval, the rejection cleared', () => {
    const decision = decideResubmit(message(), author, 'Call our shop on the number in your invoice.', T0, guard);
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.patch).toMatchObject({
      text: 'Call our shop on the number in your invoice.',
      version: 2,
      status: 'awaiting_approval',
      approvalRequestedAt: T0,
      approvalDecision: null,
      approvalDecidedBy: null,
      approvalDecidedAt: null,
      approvalReason: null,
      guardVerdict: 'warn',
    });
    expect(decision.patch.editedAt).toBeUndefined();
    expect(decision.events.map((e) => e.type)).toEqual(['message.resubmitted']);
  });

  it('only a rejected message, only by its author (or an admin), only with a new text', () => {
    expect(decideResubmit(message({ status: 'awaiting_approval' }), author, 'x', T0, guard)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(decideResubmit(message({ status: 'sent', sentAt: T0 }), author, 'x', T0, guard)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(decideResubmit(message(), colleague, 'x', T0, guard)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(decideResubmit(message(), { userId: 'u-admin', role: 'admin' }, 'x', T0, guard).ok).toBe(true);
    expect(decideResubmit(message(), author, message().text, T0, guard)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});

describe('a second Undo (issue 11, defect 7)', () => {
  it('says the message was already cancelled, never that it has already left', () => {
    const decision = decideCancel(message({ status: 'cancelled' }), author, T0);
    expect(decision).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'already_cancelled' } } });
    if (decision.ok) return;
    expect(decision.error.message?.en).toMatch(/already cancelled: the customer never received it/);
    expect(decision.error.message?.en).not.toMatch(/left/);
  });
});
