import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import {
  type ChannelProfile,
  CURRENT_REVOKE_WINDOW_SECONDS,
  type ChannelType,
  channelCapabilities,
  defaultProfiles,
  REFERENCE_REVOKE_WINDOW_SECONDS,
} from './channel-profile.ts';
import {
  type ChannelRules,
  type Decision,
  decideCancel,
  decideDelivered,
  decideDeleteForEveryone,
  decideDeleteForMe,
  decideEdit,
  decideFailed,
  decideRead,
  decideRelease,
  decideRestore,
  decideSent,
  editableUntil,
  hasLeft,
  type MessageState,
  type MessageStatus,
  mistakeKinds,
  planNewMessage,
  revocableUntil,
} from './message-lifecycle.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const T0 = new Date('2025-03-10T09:00:00.000Z');
/** T0 + the given number of seconds. */
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const author: Actor = { userId: 'u-alice', role: 'agent' };
const otherAgent: Actor = { userId: 'u-bob', role: 'agent' };
const admin: Actor = { userId: 'u-admin', role: 'admin' };
const auditor: Actor = { userId: 'u-alice', role: 'auditor' };

/** A sent outgoing message by `author`, sent at T0. */
function message(overrides: Partial<MessageState> = {}): MessageState {
  return {
    direction: 'out',
    authorUserId: author.userId,
    status: 'sent',
    text: 'Votre devis : 100 €',
    version: 1,
    holdUntil: null,
    sentAt: T0,
    deliveredAt: null,
    readAt: null,
    deletedForMeAt: null,
    revokedAt: null,
    ...overrides,
  };
}
const held = (overrides: Partial<MessageState> = {}) =>
  message({ status: 'held', holdUntil: at(10), sentAt: null, ...overrides });
const queued = (overrides: Partial<MessageState> = {}) => message({ status: 'queued', sentAt: null, ...overrides });
const incoming = (overrides: Partial<MessageState> = {}) =>
  message({ direction: 'in', authorUserId: null, status: 'received', ...overrides });

function channel(type: ChannelType = 'simulator', profile: Partial<ChannelProfile> = {}): ChannelRules {
  return { capabilities: channelCapabilities[type], profile: { ...defaultProfiles[type], ...profile } };
}
const reference = channel('simulator', { revokeWindowSeconds: REFERENCE_REVOKE_WINDOW_SECONDS });
const current = channel('simulator', { revokeWindowSeconds: CURRENT_REVOKE_WINDOW_SECONDS });
const cloud = channel('whatsapp-cloud');

function accepted(d: Decision) {
  if (!d.ok) throw new Error(`expected the decision to be accepted, got ${d.error.code}`);
  return d;
}
function refused(d: Decision) {
  if (d.ok) throw new Error(`expected a refusal, got patch ${JSON.stringify(d.patch)}`);
  return d.error;
}

const stateKeys = [
  'status',
  'text',
  'version',
  'holdUntil',
  'sentAt',
  'deliveredAt',
  'readAt',
  'deletedForMeAt',
  'revokedAt',
] as const satisfies readonly (keyof MessageState)[];

/** Applies an accepted decision's patch to the message state (what the store would do). */
function apply(m: MessageState, d: Decision): MessageState {
  const { patch } = accepted(d);
  const next = { ...m };
  for (const key of stateKeys) {
    if (key in patch) Object.assign(next, { [key]: patch[key] });
  }
  return next;
}

const unchangedDecision = { ok: true, patch: {}, events: [] };

// ---------------------------------------------------------------------------------------------

describe('mistakeKinds and hasLeft', () => {
  it('lists every mistake kind once', () => {
    expect([...mistakeKinds].sort()).toEqual(
      ['confidential', 'other', 'promotion_withdrawn', 'tone', 'typo', 'wrong_price', 'wrong_recipient'].sort(),
    );
  });

  it('a message has left once sent, delivered or read', () => {
    const left: MessageStatus[] = ['sent', 'delivered', 'read'];
    const notLeft: MessageStatus[] = ['held', 'queued', 'failed', 'cancelled', 'received'];
    for (const status of left) expect(hasLeft({ status }), status).toBe(true);
    for (const status of notLeft) expect(hasLeft({ status }), status).toBe(false);
  });
});

describe('planNewMessage', () => {
  it('with a hold of 0 goes straight to the queue', () => {
    expect(planNewMessage(T0, 0)).toEqual({
      status: 'queued',
      holdUntil: null,
      queuedAt: T0,
      events: [{ type: 'message.queued', data: {} }],
    });
  });

  it('with a hold > 0 sits in the hold window until now + hold', () => {
    expect(planNewMessage(T0, 10)).toEqual({
      status: 'held',
      holdUntil: at(10),
      queuedAt: null,
      events: [{ type: 'message.held', data: { holdUntil: '2025-03-10T09:00:10.000Z', holdSeconds: 10 } }],
    });
  });

  it('a one-second hold is still a hold', () => {
    const plan = planNewMessage(T0, 1);
    expect(plan.status).toBe('held');
    expect(plan.holdUntil).toEqual(at(1));
  });
});

describe('decideRelease', () => {
  const msg = held({ holdUntil: at(10) });

  it('refuses before holdUntil, with the hold end in the details', () => {
    const error = refused(decideRelease(msg, at(9)));
    expect(error.code).toBe('conflict');
    expect(error.details).toEqual({ reason: 'hold_not_over', holdUntil: '2025-03-10T09:00:10.000Z' });
  });

  it('queues the message at exactly holdUntil', () => {
    const d = accepted(decideRelease(msg, at(10)));
    expect(d.patch.status).toBe('queued');
    expect(d.patch.queuedAt).toEqual(at(10));
    expect(d.events).toEqual([{ type: 'message.queued', data: {} }]);
  });

  it('queues the message after holdUntil (late job)', () => {
    expect(accepted(decideRelease(msg, at(60))).patch.status).toBe('queued');
  });

  it('releases a held message without holdUntil at once', () => {
    expect(accepted(decideRelease(held({ holdUntil: null }), T0)).patch.status).toBe('queued');
  });

  it.each<MessageStatus>(['cancelled', 'queued', 'sent', 'failed'])('answers not_held for a %s message', (status) => {
    expect(refused(decideRelease(message({ status, holdUntil: at(10) }), at(20))).code).toBe('not_held');
  });
});

describe('decideCancel (undo send)', () => {
  it('cancels a held message: a true unsend', () => {
    const d = accepted(decideCancel(held(), author, at(5)));
    expect(d.patch).toEqual({ status: 'cancelled', cancelledAt: at(5) });
    expect(d.events).toEqual([{ type: 'message.cancelled', data: {} }]);
  });

  it('still cancels a held message whose hold is over but the release job is late', () => {
    expect(accepted(decideCancel(held({ holdUntil: at(10) }), author, at(30))).patch.status).toBe('cancelled');
  });

  it.each<MessageStatus>(['queued', 'sent', 'delivered', 'read', 'failed'])(
    'answers not_held once the message is %s',
    (status) => {
      expect(refused(decideCancel(message({ status }), author, at(1))).code).toBe('not_held');
    },
  );

  it('a cancelled message cannot be cancelled again — and it is not said to have left', () => {
    const cancelled = apply(held(), decideCancel(held(), author, at(5)));
    const again = refused(decideCancel(cancelled, author, at(6)));
    expect(again.code).toBe('conflict');
    expect(again.details).toEqual({ reason: 'already_cancelled' });
  });

  it("forbids another agent to cancel the author's message", () => {
    expect(refused(decideCancel(held(), otherAgent, at(5))).code).toBe('forbidden');
  });

  it('lets an admin cancel', () => {
    expect(accepted(decideCancel(held(), admin, at(5))).patch.status).toBe('cancelled');
  });

  it('forbids an auditor', () => {
    expect(refused(decideCancel(held(), auditor, at(5))).code).toBe('forbidden');
  });
});

describe('delivery status transitions', () => {
  describe('decideSent', () => {
    it('marks a queued message sent, records the version that left and the provider id', () => {
      const d = accepted(decideSent(queued({ version: 3 }), at(2), 'wamid.ABC'));
      expect(d.patch).toEqual({ status: 'sent', sentAt: at(2), sentVersion: 3, providerMessageId: 'wamid.ABC' });
      expect(d.events).toEqual([{ type: 'message.sent', data: { providerMessageId: 'wamid.ABC' } }]);
    });

    it('without a provider id leaves it out', () => {
      const d = accepted(decideSent(queued(), at(2)));
      expect(d.patch).toEqual({ status: 'sent', sentAt: at(2), sentVersion: 1 });
      expect(d.events).toEqual([{ type: 'message.sent', data: {} }]);
    });

    it.each<MessageStatus>(['sent', 'delivered', 'read', 'failed', 'held', 'cancelled'])(
      'changes nothing on a %s message',
      (status) => {
        expect(decideSent(message({ status }), at(5), 'wamid.X')).toEqual(unchangedDecision);
      },
    );
  });

  describe('decideDelivered', () => {
    it('marks a sent message delivered', () => {
      const d = accepted(decideDelivered(message(), at(3)));
      expect(d.patch).toEqual({ status: 'delivered', deliveredAt: at(3) });
      expect(d.events).toEqual([{ type: 'message.delivered', data: {} }]);
    });

    it.each<MessageStatus>(['delivered', 'read', 'failed', 'cancelled'])('changes nothing on a %s message', (status) => {
      expect(decideDelivered(message({ status, deliveredAt: at(1) }), at(5))).toEqual(unchangedDecision);
    });
  });

  describe('decideRead', () => {
    it('marks a delivered message read and keeps its delivery time', () => {
      const d = accepted(decideRead(message({ status: 'delivered', deliveredAt: at(3) }), at(7)));
      expect(d.patch).toEqual({ status: 'read', readAt: at(7) });
      expect(d.events).toEqual([{ type: 'message.read', data: {} }]);
    });

    it('a read on a sent message implies its delivery at the same time', () => {
      const d = accepted(decideRead(message(), at(7)));
      expect(d.patch).toEqual({ status: 'read', readAt: at(7), deliveredAt: at(7) });
    });

    it.each<MessageStatus>(['read', 'failed', 'queued', 'held', 'cancelled'])('changes nothing on a %s message', (status) => {
      expect(decideRead(message({ status, readAt: at(1) }), at(9))).toEqual(unchangedDecision);
    });
  });

  describe('decideFailed', () => {
    it('marks a queued message failed with code and detail', () => {
      const d = accepted(decideFailed(queued(), at(2), '131026', 'Receiver is incapable of receiving this message'));
      expect(d.patch).toEqual({
        status: 'failed',
        failedAt: at(2),
        failureCode: '131026',
        failureDetail: 'Receiver is incapable of receiving this message',
      });
      expect(d.events).toEqual([
        { type: 'message.failed', data: { code: '131026', detail: 'Receiver is incapable of receiving this message' } },
      ]);
    });

    it('without detail stores null and leaves it out of the event', () => {
      const d = accepted(decideFailed(queued(), at(2), 'timeout'));
      expect(d.patch.failureDetail).toBeNull();
      expect(d.events).toEqual([{ type: 'message.failed', data: { code: 'timeout' } }]);
    });

    it.each<MessageStatus>(['sent', 'delivered', 'read', 'failed', 'held', 'cancelled'])(
      'changes nothing on a %s message',
      (status) => {
        expect(decideFailed(message({ status }), at(5), 'x')).toEqual(unchangedDecision);
      },
    );
  });

  it('a full journey goes forward only; repeated or late statuses change nothing', () => {
    let m = queued();
    m = apply(m, decideSent(m, at(1)));
    expect(decideSent(m, at(2))).toEqual(unchangedDecision);
    m = apply(m, decideDelivered(m, at(3)));
    expect(m.status).toBe('delivered');
    expect(decideDelivered(m, at(4))).toEqual(unchangedDecision);
    expect(decideSent(m, at(4))).toEqual(unchangedDecision);
    m = apply(m, decideRead(m, at(5)));
    expect(m).toMatchObject({ status: 'read', sentAt: at(1), deliveredAt: at(3), readAt: at(5) });
    expect(decideRead(m, at(6))).toEqual(unchangedDecision);
    expect(decideDelivered(m, at(6))).toEqual(unchangedDecision);
    expect(decideSent(m, at(6))).toEqual(unchangedDecision);
    expect(decideFailed(m, at(6), 'late')).toEqual(unchangedDecision);
  });
});

describe('revocableUntil / editableUntil', () => {
  it('revocableUntil is sentAt + 4096 s with the reference profile', () => {
    expect(revocableUntil(message(), reference)?.toISOString()).toBe('2025-03-10T10:08:16.000Z');
  });

  it('revocableUntil is sentAt + 216000 s with the current profile', () => {
    expect(revocableUntil(message(), current)?.toISOString()).toBe('2025-03-12T21:00:00.000Z');
  });

  it('editableUntil is sentAt + 900 s', () => {
    expect(editableUntil(message(), reference)?.toISOString()).toBe('2025-03-10T09:15:00.000Z');
  });

  it('follow custom windows', () => {
    const custom = channel('simulator', { revokeWindowSeconds: 120, editWindowSeconds: 30 });
    expect(revocableUntil(message(), custom)).toEqual(at(120));
    expect(editableUntil(message(), custom)).toEqual(at(30));
  });

  it('are null for a message that has not been sent', () => {
    expect(revocableUntil({ sentAt: null }, reference)).toBeNull();
    expect(editableUntil({ sentAt: null }, reference)).toBeNull();
  });

  it('are null on the WhatsApp Cloud API, which can neither delete nor edit', () => {
    expect(revocableUntil(message(), cloud)).toBeNull();
    expect(editableUntil(message(), cloud)).toBeNull();
  });
});

describe('decideEdit', () => {
  describe('while held', () => {
    it('rewrites the draft: new version, no editedAt, no window', () => {
      const d = accepted(decideEdit(held(), author, 'Votre devis : 1 000 €', at(5), reference));
      expect(d.patch).toEqual({ text: 'Votre devis : 1 000 €', version: 2 });
      expect(d.patch).not.toHaveProperty('editedAt');
      expect(d.events).toEqual([{ type: 'message.edited', data: { version: 2, whileHeld: true } }]);
    });

    it('works long after any edit window would have closed', () => {
      const old = held({ holdUntil: at(100_000) });
      expect(accepted(decideEdit(old, author, 'fixed', at(99_999), reference)).patch.version).toBe(2);
    });

    it('works on the Cloud API too (it has not left yet)', () => {
      expect(accepted(decideEdit(held(), author, 'fixed', at(5), cloud)).patch).toEqual({ text: 'fixed', version: 2 });
    });
  });

  it('refuses while queued (being sent): conflict', () => {
    expect(refused(decideEdit(queued(), author, 'fixed', at(1), reference)).code).toBe('conflict');
  });

  it('refuses an unchanged text: validation_failed', () => {
    const msg = message({ text: 'Bonjour' });
    expect(refused(decideEdit(msg, author, 'Bonjour', at(1), reference)).code).toBe('validation_failed');
    expect(refused(decideEdit(held({ text: 'Bonjour' }), author, 'Bonjour', at(1), reference)).code).toBe(
      'validation_failed',
    );
  });

  it('refuses on the Cloud API (no edit capability) and suggests a correction', () => {
    const error = refused(decideEdit(message(), author, 'fixed', at(1), cloud));
    expect(error.code).toBe('capability_unsupported');
    expect(error.details).toEqual({ suggestion: 'correct' });
  });

  it('edits a sent message at exactly sentAt + 900 s', () => {
    const d = accepted(decideEdit(message({ version: 2 }), author, 'fixed', at(900), reference));
    expect(d.patch).toEqual({ text: 'fixed', version: 3, editedAt: at(900) });
    expect(d.events).toEqual([{ type: 'message.edited', data: { version: 3 } }]);
  });

  it('refuses one second later with edit_window_expired, the window end and a correction suggestion', () => {
    const error = refused(decideEdit(message(), author, 'fixed', at(901), reference));
    expect(error.code).toBe('edit_window_expired');
    expect(error.details).toEqual({ editableUntil: '2025-03-10T09:15:00.000Z', suggestion: 'correct' });
  });

  it('follows a custom edit window to the second', () => {
    const custom = channel('evolution', { editWindowSeconds: 60 });
    expect(accepted(decideEdit(message(), author, 'fixed', at(60), custom)).patch.version).toBe(2);
    expect(refused(decideEdit(message(), author, 'fixed', at(61), custom)).code).toBe('edit_window_expired');
  });

  it.each<MessageStatus>(['delivered', 'read'])('edits a %s message within the window', (status) => {
    expect(accepted(decideEdit(message({ status }), author, 'fixed', at(10), reference)).patch.text).toBe('fixed');
  });

  it.each<MessageStatus>(['failed', 'cancelled'])('refuses a %s message (it never left): conflict', (status) => {
    expect(refused(decideEdit(message({ status, sentAt: null }), author, 'fixed', at(1), reference)).code).toBe(
      'conflict',
    );
  });

  it('refuses a message already deleted for everyone', () => {
    expect(refused(decideEdit(message({ revokedAt: at(5) }), author, 'fixed', at(10), reference)).code).toBe(
      'conflict',
    );
  });

  it("refuses a customer's message", () => {
    expect(refused(decideEdit(incoming(), author, 'fixed', at(1), reference)).code).toBe('conflict');
  });

  it('lets the author and an admin edit, forbids another agent and an auditor', () => {
    expect(decideEdit(message(), author, 'fixed', at(1), reference).ok).toBe(true);
    expect(decideEdit(message(), admin, 'fixed', at(1), reference).ok).toBe(true);
    expect(refused(decideEdit(message(), otherAgent, 'fixed', at(1), reference)).code).toBe('forbidden');
    expect(refused(decideEdit(message(), auditor, 'fixed', at(1), reference)).code).toBe('forbidden');
  });
});

describe('decideDeleteForMe / decideRestore', () => {
  it('hides the message from the team, records who and why', () => {
    const d = accepted(decideDeleteForMe(message(), author, at(30), 'typo', 'doublon'));
    expect(d.patch).toEqual({ deletedForMeAt: at(30), deletedForMeBy: 'u-alice', deletedForMeReason: 'typo' });
    expect(d.events).toEqual([{ type: 'message.deleted_for_me', data: { reason: 'typo', note: 'doublon' } }]);
  });

  it('leaves the note out of the event when there is none', () => {
    expect(accepted(decideDeleteForMe(message(), author, at(30), 'other')).events).toEqual([
      { type: 'message.deleted_for_me', data: { reason: 'other' } },
    ]);
  });

  it('delete for me twice is a conflict', () => {
    const hidden = apply(message(), decideDeleteForMe(message(), author, at(30), 'typo'));
    expect(refused(decideDeleteForMe(hidden, author, at(31), 'typo')).code).toBe('conflict');
  });

  it('restore after delete for me clears it', () => {
    const hidden = apply(message(), decideDeleteForMe(message(), author, at(30), 'typo'));
    const d = accepted(decideRestore(hidden, author));
    expect(d.patch).toEqual({ deletedForMeAt: null, deletedForMeBy: null, deletedForMeReason: null });
    expect(d.events).toEqual([{ type: 'message.restored', data: {} }]);
    const restored = apply(hidden, d);
    expect(restored.deletedForMeAt).toBeNull();
    expect(decideDeleteForMe(restored, author, at(40), 'typo').ok).toBe(true);
  });

  it('restore when not deleted is a conflict', () => {
    expect(refused(decideRestore(message(), author)).code).toBe('conflict');
  });

  it('delete for me never closes delete for everyone', () => {
    const hidden = apply(message(), decideDeleteForMe(message(), author, at(30), 'confidential'));
    const d = accepted(decideDeleteForEveryone(hidden, author, at(60), reference, 'confidential'));
    expect(d.patch.revokedAt).toEqual(at(60));
    // …up to the same window limit as without it.
    expect(decideDeleteForEveryone(hidden, author, at(4_096), reference, 'confidential').ok).toBe(true);
    expect(refused(decideDeleteForEveryone(hidden, author, at(4_097), reference, 'confidential')).code).toBe(
      'revoke_window_expired',
    );
  });

  it('works on any status, including held and customer messages', () => {
    expect(decideDeleteForMe(held(), author, at(1), 'typo').ok).toBe(true);
    expect(decideDeleteForMe(incoming(), otherAgent, at(1), 'other').ok).toBe(true);
  });

  it('permissions: another agent and an auditor are forbidden, an admin is allowed', () => {
    expect(refused(decideDeleteForMe(message(), otherAgent, at(1), 'typo')).code).toBe('forbidden');
    expect(refused(decideDeleteForMe(message(), auditor, at(1), 'typo')).code).toBe('forbidden');
    expect(accepted(decideDeleteForMe(message(), admin, at(1), 'typo')).patch.deletedForMeBy).toBe('u-admin');
    const hidden = message({ deletedForMeAt: at(1) });
    expect(refused(decideRestore(hidden, otherAgent)).code).toBe('forbidden');
    expect(refused(decideRestore(hidden, auditor)).code).toBe('forbidden');
    expect(decideRestore(hidden, admin).ok).toBe(true);
  });
});

describe('decideDeleteForEveryone', () => {
  describe.each([
    ['reference', reference, 4_096, '2025-03-10T10:08:16.000Z'],
    ['current', current, 216_000, '2025-03-12T21:00:00.000Z'],
  ] as const)('with the %s window', (_name, rules, window, until) => {
    it(`succeeds at exactly sentAt + ${window} s`, () => {
      const d = accepted(decideDeleteForEveryone(message(), author, at(window), rules, 'confidential'));
      expect(d.patch.revokedAt).toEqual(at(window));
    });

    it(`is refused at sentAt + ${window + 1} s with revoke_window_expired and a correction suggestion`, () => {
      const error = refused(decideDeleteForEveryone(message(), author, at(window + 1), rules, 'confidential'));
      expect(error.code).toBe('revoke_window_expired');
      expect(error.details).toEqual({ revocableUntil: until, suggestion: 'correct' });
    });
  });

  it('records who, why, the note and whether it was read, and emits message.revoked', () => {
    const d = accepted(
      decideDeleteForEveryone(message({ status: 'delivered' }), author, at(120), reference, 'wrong_recipient', 'pour M. Durand'),
    );
    expect(d.patch).toEqual({
      revokedAt: at(120),
      revokedBy: 'u-alice',
      revokeReason: 'wrong_recipient',
      revokeNote: 'pour M. Durand',
      readBeforeRevoke: false,
    });
    expect(d.events).toEqual([
      { type: 'message.revoked', data: { reason: 'wrong_recipient', readBeforeRevoke: false, note: 'pour M. Durand' } },
    ]);
  });

  it('without a note stores null and leaves it out of the event', () => {
    const d = accepted(decideDeleteForEveryone(message(), author, at(1), reference, 'tone'));
    expect(d.patch.revokeNote).toBeNull();
    expect(d.events[0]?.data).toEqual({ reason: 'tone', readBeforeRevoke: false });
  });

  it('flags readBeforeRevoke when the message was read', () => {
    const read = message({ status: 'read', deliveredAt: at(5), readAt: at(10) });
    const d = accepted(decideDeleteForEveryone(read, author, at(20), reference, 'confidential'));
    expect(d.patch.readBeforeRevoke).toBe(true);
    expect(d.events[0]?.data.readBeforeRevoke).toBe(true);
  });

  it('measures the window from sentAt, not from delivery or read', () => {
    const read = message({ status: 'read', deliveredAt: at(4_000), readAt: at(4_050) });
    expect(refused(decideDeleteForEveryone(read, author, at(4_097), reference, 'typo')).code).toBe('revoke_window_expired');
  });

  it('on a held message refuses and suggests cancelling instead', () => {
    const error = refused(decideDeleteForEveryone(held(), author, at(1), reference, 'confidential'));
    expect(error.code).toBe('conflict');
    expect(error.details).toEqual({ suggestion: 'cancel' });
    expect(error.message?.en).toMatch(/cancel/i);
    expect(error.message?.fr).toMatch(/annulez/i);
  });

  it('on a queued message refuses (still being sent)', () => {
    const error = refused(decideDeleteForEveryone(queued(), author, at(1), reference, 'confidential'));
    expect(error.code).toBe('conflict');
    expect(error.details?.suggestion).not.toBe('cancel');
  });

  it.each<MessageStatus>(['failed', 'cancelled'])('on a %s message refuses (it never left)', (status) => {
    expect(refused(decideDeleteForEveryone(message({ status, sentAt: null }), author, at(1), reference, 'typo')).code).toBe(
      'conflict',
    );
  });

  it("on a customer's message refuses", () => {
    expect(refused(decideDeleteForEveryone(incoming(), author, at(1), reference, 'other')).code).toBe('conflict');
  });

  it('on a message already deleted for everyone refuses', () => {
    const revoked = apply(message(), decideDeleteForEveryone(message(), author, at(10), reference, 'confidential'));
    expect(revoked.revokedAt).toEqual(at(10));
    expect(refused(decideDeleteForEveryone(revoked, author, at(11), reference, 'confidential')).code).toBe('conflict');
  });

  it('on the Cloud API refuses with capability_unsupported, even the very second it was sent', () => {
    const error = refused(decideDeleteForEveryone(message(), author, T0, cloud, 'confidential'));
    expect(error.code).toBe('capability_unsupported');
    expect(error.details).toEqual({ suggestion: 'correct' });
  });

  it('the author and an admin may delete, another agent and an auditor may not', () => {
    expect(refused(decideDeleteForEveryone(message(), otherAgent, at(1), reference, 'typo')).code).toBe('forbidden');
    expect(refused(decideDeleteForEveryone(message(), auditor, at(1), reference, 'typo')).code).toBe('forbidden');
    expect(accepted(decideDeleteForEveryone(message(), admin, at(1), reference, 'typo')).patch.revokedBy).toBe('u-admin');
    expect(accepted(decideDeleteForEveryone(message(), author, at(1), reference, 'typo')).patch.revokedBy).toBe('u-alice');
  });
});
