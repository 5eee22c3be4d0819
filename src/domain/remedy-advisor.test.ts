import { describe, expect, it } from 'vitest';
import {
  CURRENT_REVOKE_WINDOW_SECONDS,
  type ChannelProfile,
  type ChannelType,
  channelCapabilities,
  defaultProfiles,
} from './channel-profile.ts';
import {
  type ChannelRules,
  editableUntil,
  type MessageStatus,
  type MistakeKind,
  mistakeKinds,
  revocableUntil,
} from './message-lifecycle.ts';
import { adviseRemedies, type RemedyOption, type RemedySituation } from './remedy-advisor.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function channel(type: ChannelType = 'simulator', profile: Partial<ChannelProfile> = {}): ChannelRules {
  return { capabilities: channelCapabilities[type], profile: { ...defaultProfiles[type], ...profile } };
}
const simulator = channel('simulator'); // revoke 4096 s, edit 900 s
const cloud = channel('whatsapp-cloud');

/**
 * An outgoing message sent at T0 on `rules`, looked at `now`; windows come from the lifecycle
 * functions, as the application would compute them.
 */
function sent(mistake: MistakeKind, now: Date, rules: ChannelRules = simulator, overrides: Partial<RemedySituation> = {}) {
  const situation: RemedySituation = {
    status: 'delivered',
    direction: 'out',
    read: false,
    revoked: false,
    deletedForMe: false,
    holdUntil: null,
    revocableUntil: revocableUntil({ sentAt: T0 }, rules),
    editableUntil: editableUntil({ sentAt: T0 }, rules),
    capabilities: rules.capabilities,
    mistake,
    now,
    ...overrides,
  };
  return situation;
}
function heldSituation(mistake: MistakeKind, now: Date, holdUntil: Date | null = at(10)): RemedySituation {
  return sent(mistake, now, simulator, {
    status: 'held',
    holdUntil,
    revocableUntil: null,
    editableUntil: null,
  });
}

const remedies = (options: RemedyOption[]) => options.map((o) => o.remedy);
const option = (options: RemedyOption[], remedy: RemedyOption['remedy']) => options.find((o) => o.remedy === remedy);

// ---------------------------------------------------------------------------------------------

describe('held message', () => {
  it.each<MistakeKind>(['typo', 'wrong_price', 'other'])('a fixable mistake (%s): edit first, then cancel', (mistake) => {
    const options = adviseRemedies(heldSituation(mistake, at(4)));
    expect(remedies(options)).toEqual(['edit', 'cancel']);
  });

  it.each<MistakeKind>(['confidential', 'wrong_recipient', 'tone', 'promotion_withdrawn'])(
    'a harmful mistake (%s): cancel first, then edit',
    (mistake) => {
      expect(remedies(adviseRemedies(heldSituation(mistake, at(4))))).toEqual(['cancel', 'edit']);
    },
  );

  it('both options carry the seconds left in the hold', () => {
    const options = adviseRemedies(heldSituation('confidential', at(4), at(10)));
    expect(options.map((o) => o.secondsLeft)).toEqual([6, 6]);
  });

  it('a hold already over (late release) leaves 0 seconds, still cancellable', () => {
    const options = adviseRemedies(heldSituation('confidential', at(15), at(10)));
    expect(option(options, 'cancel')?.secondsLeft).toBe(0);
  });

  it('no hold end: no countdown', () => {
    expect(adviseRemedies(heldSituation('typo', at(4), null)).map((o) => o.secondsLeft)).toEqual([null, null]);
  });

  it('the cancel reason says it is a true unsend', () => {
    const cancel = option(adviseRemedies(heldSituation('confidential', at(1))), 'cancel');
    expect(cancel?.reason.en).toMatch(/true unsend/);
    expect(cancel?.reason.fr).toMatch(/vrai retrait/);
  });
});

describe('confidential data', () => {
  it('within both windows: delete for everyone and correct first, with the seconds left', () => {
    const options = adviseRemedies(sent('confidential', at(60)));
    expect(remedies(options)).toEqual(['delete_for_everyone_and_correct', 'correct', 'edit', 'delete_for_me']);
    expect(options[0]).toMatchObject({ rank: 1, secondsLeft: 4_096 - 60 });
    expect(options[0]?.reason.en).toMatch(/delete it for everyone/);
    expect(option(options, 'edit')?.secondsLeft).toBe(900 - 60);
  });

  it('within the revoke window only (edit window closed): delete first, no edit', () => {
    const options = adviseRemedies(sent('confidential', at(4_000)));
    expect(remedies(options)).toEqual(['delete_for_everyone_and_correct', 'correct', 'delete_for_me']);
    expect(options[0]?.secondsLeft).toBe(96);
  });

  it('at exactly the end of the revoke window: delete is still offered, 0 s left', () => {
    const options = adviseRemedies(sent('confidential', at(4_096)));
    expect(options[0]).toMatchObject({ remedy: 'delete_for_everyone_and_correct', secondsLeft: 0 });
  });

  it('one second past the window: correct first, no delete option', () => {
    const options = adviseRemedies(sent('confidential', at(4_097)));
    expect(remedies(options)).toEqual(['correct', 'delete_for_me']);
    expect(options[0]?.reason.en).toMatch(/Too late to delete/);
    expect(options[0]?.reason.fr).toMatch(/Trop tard/);
    expect(options[0]?.secondsLeft).toBeNull();
  });

  it('follows the current 216000 s window to the second', () => {
    const current = channel('simulator', { revokeWindowSeconds: CURRENT_REVOKE_WINDOW_SECONDS });
    expect(adviseRemedies(sent('confidential', at(216_000), current))[0]).toMatchObject({
      remedy: 'delete_for_everyone_and_correct',
      secondsLeft: 0,
    });
    expect(remedies(adviseRemedies(sent('confidential', at(216_001), current)))).not.toContain(
      'delete_for_everyone_and_correct',
    );
  });

  it('delete stays first even when already read', () => {
    expect(adviseRemedies(sent('confidential', at(60), simulator, { status: 'read', read: true }))[0]?.remedy).toBe(
      'delete_for_everyone_and_correct',
    );
  });
});

describe('other harmful mistakes', () => {
  it.each<MistakeKind>(['wrong_recipient', 'promotion_withdrawn'])('%s within the window: delete first', (mistake) => {
    expect(adviseRemedies(sent(mistake, at(60)))[0]?.remedy).toBe('delete_for_everyone_and_correct');
  });

  it.each<MistakeKind>(['wrong_recipient', 'promotion_withdrawn'])('%s past the window: correct first', (mistake) => {
    const options = adviseRemedies(sent(mistake, at(5_000)));
    expect(options[0]?.remedy).toBe('correct');
    expect(remedies(options)).not.toContain('delete_for_everyone_and_correct');
  });

  it('an unread impulsive reply: delete first; once read: correct first', () => {
    expect(adviseRemedies(sent('tone', at(60)))[0]?.remedy).toBe('delete_for_everyone_and_correct');
    expect(adviseRemedies(sent('tone', at(60), simulator, { status: 'read', read: true }))[0]?.remedy).toBe('correct');
  });

  it('an unread wrong price within the edit window: edit first, then delete', () => {
    expect(remedies(adviseRemedies(sent('wrong_price', at(60))))).toEqual([
      'edit',
      'delete_for_everyone_and_correct',
      'correct',
      'delete_for_me',
    ]);
  });

  it('a read wrong price: correct first', () => {
    expect(adviseRemedies(sent('wrong_price', at(60), simulator, { status: 'read', read: true }))[0]?.remedy).toBe(
      'correct',
    );
  });
});

describe('typo', () => {
  it('within the edit window: edit first, with the seconds left', () => {
    const options = adviseRemedies(sent('typo', at(300)));
    expect(options[0]).toMatchObject({ remedy: 'edit', rank: 1, secondsLeft: 600 });
    expect(remedies(options)).toEqual(['edit', 'correct', 'none', 'delete_for_everyone_and_correct', 'delete_for_me']);
  });

  it('at exactly the end of the edit window: edit still first with 0 s', () => {
    expect(adviseRemedies(sent('typo', at(900)))[0]).toMatchObject({ remedy: 'edit', secondsLeft: 0 });
  });

  it('past the edit window: correct first, no edit', () => {
    const options = adviseRemedies(sent('typo', at(901)));
    expect(options[0]?.remedy).toBe('correct');
    expect(remedies(options)).not.toContain('edit');
  });

  it('deleting a typo always ranks below correcting it', () => {
    const options = adviseRemedies(sent('typo', at(60)));
    const rankOf = (r: RemedyOption['remedy']) => option(options, r)?.rank ?? Number.POSITIVE_INFINITY;
    expect(rankOf('delete_for_everyone_and_correct')).toBeGreaterThan(rankOf('correct'));
  });
});

describe('WhatsApp Cloud API (cannot delete or edit)', () => {
  it.each(mistakeKinds)('%s: correct first, no edit or delete option', (mistake) => {
    const options = adviseRemedies(sent(mistake, at(5), cloud));
    expect(options[0]?.remedy).toBe('correct');
    expect(remedies(options)).not.toContain('edit');
    expect(remedies(options)).not.toContain('delete_for_everyone_and_correct');
  });

  it('capabilities win even if window dates were supplied', () => {
    const options = adviseRemedies(sent('confidential', at(5), cloud, { revocableUntil: at(4_096), editableUntil: at(900) }));
    expect(remedies(options)).toEqual(['correct', 'delete_for_me']);
  });
});

describe('after a delete for everyone', () => {
  it('correct first, explaining why it was deleted', () => {
    const options = adviseRemedies(sent('confidential', at(60), simulator, { revoked: true }));
    expect(remedies(options)).toEqual(['correct', 'delete_for_me']);
    expect(options[0]?.reason.en).toMatch(/Already deleted for everyone/);
  });

  it('no delete for me when already hidden', () => {
    expect(remedies(adviseRemedies(sent('typo', at(60), simulator, { revoked: true, deletedForMe: true })))).toEqual([
      'correct',
    ]);
  });
});

describe('delete for me', () => {
  it('is offered last, and not when already deleted for me', () => {
    const options = adviseRemedies(sent('typo', at(60)));
    expect(options.at(-1)?.remedy).toBe('delete_for_me');
    expect(remedies(adviseRemedies(sent('typo', at(60), simulator, { deletedForMe: true })))).not.toContain('delete_for_me');
  });

  it('a message deleted for me can still be deleted for everyone', () => {
    const options = adviseRemedies(sent('confidential', at(60), simulator, { deletedForMe: true }));
    expect(options[0]?.remedy).toBe('delete_for_everyone_and_correct');
  });
});

describe('nothing to do', () => {
  it.each<MessageStatus>(['failed', 'cancelled'])('a %s message never reached the customer: none', (status) => {
    const options = adviseRemedies(sent('confidential', at(60), simulator, { status }));
    expect(options).toHaveLength(1);
    expect(options[0]).toMatchObject({ remedy: 'none', rank: 1, secondsLeft: null });
    expect(options[0]?.reason.en).toMatch(/never reached/);
  });

  it('a queued message: none, wait for it to leave', () => {
    expect(remedies(adviseRemedies(sent('confidential', at(1), simulator, { status: 'queued' })))).toEqual(['none']);
  });

  it("a customer's message: none", () => {
    const options = adviseRemedies(sent('typo', at(1), simulator, { direction: 'in', status: 'received' }));
    expect(remedies(options)).toEqual(['none']);
    expect(options[0]?.reason.en).toMatch(/customer/);
  });
});

describe('every answer', () => {
  const statuses: MessageStatus[] = ['held', 'queued', 'sent', 'delivered', 'read', 'failed', 'cancelled'];
  const moments = [0, 60, 900, 901, 4_096, 4_097, 300_000];
  const rulesList = [simulator, cloud, channel('evolution')];
  const situations: RemedySituation[] = [];
  for (const mistake of mistakeKinds)
    for (const status of statuses)
      for (const s of moments)
        for (const rules of rulesList)
          for (const flags of [
            { read: false, revoked: false, deletedForMe: false },
            { read: true, revoked: false, deletedForMe: true },
            { read: true, revoked: true, deletedForMe: false },
          ])
            situations.push(
              sent(mistake, at(s), rules, { status, holdUntil: status === 'held' ? at(10) : null, ...flags }),
            );

  it('has ranks 1..n, at least one option, no duplicates', () => {
    for (const s of situations) {
      const options = adviseRemedies(s);
      expect(options.length).toBeGreaterThan(0);
      expect(options.map((o) => o.rank)).toEqual(options.map((_, i) => i + 1));
      expect(new Set(remedies(options)).size).toBe(options.length);
    }
  });

  it('gives every option a non-empty French and English reason', () => {
    for (const s of situations) {
      for (const o of adviseRemedies(s)) {
        expect(o.reason.fr.trim().length, `${s.mistake}/${s.status}/${o.remedy} fr`).toBeGreaterThan(0);
        expect(o.reason.en.trim().length, `${s.mistake}/${s.status}/${o.remedy} en`).toBeGreaterThan(0);
        expect(o.reason.fr).not.toBe(o.reason.en);
      }
    }
  });

  it('never offers delete or edit on a channel or at a time that would refuse them', () => {
    for (const s of situations) {
      const r = remedies(adviseRemedies(s));
      const revokeClosed = s.revocableUntil === null || s.now > s.revocableUntil;
      const editClosed = s.editableUntil === null || s.now > s.editableUntil;
      if (!s.capabilities.deleteForEveryone || revokeClosed || s.revoked) {
        expect(r).not.toContain('delete_for_everyone_and_correct');
      }
      if (s.status !== 'held' && (!s.capabilities.edit || editClosed || s.revoked)) {
        expect(r).not.toContain('edit');
      }
    }
  });
});

// Issue 11: advice that matches what the customer's devices will really do.
describe('delete for me past the revoke window (issue 11, defect 6)', () => {
  it('no longer says it can be deleted for everyone later', () => {
    const late = option(adviseRemedies(sent('wrong_price', at(5_000))), 'delete_for_me');
    expect(late?.reason.en).not.toMatch(/delete for everyone/i);
    expect(late?.reason.en).toMatch(/can no longer be deleted for everyone/);
    expect(late?.reason.fr).toMatch(/ne peut plus être supprimé pour tout le monde/);
    const cloudLate = option(adviseRemedies(sent('wrong_price', at(60), cloud)), 'delete_for_me');
    expect(cloudLate?.reason.en).not.toMatch(/does not close delete for everyone/);
    const afterRevoke = option(adviseRemedies(sent('confidential', at(60), simulator, { revoked: true })), 'delete_for_me');
    expect(afterRevoke?.reason.en).not.toMatch(/does not close delete for everyone/);
  });

  it('within the window it still says so', () => {
    expect(option(adviseRemedies(sent('wrong_price', at(60))), 'delete_for_me')?.reason.en).toMatch(/does not close delete for everyone/);
  });
});

describe('devices that will ignore an edit (issue 11, defect 4)', () => {
  it('a typo with an outdated device: the edit ranks below a correction and says why', () => {
    const options = adviseRemedies(sent('typo', at(60), simulator, { devicesIgnoringChanges: 1 }));
    expect(options[0]?.remedy).toBe('correct');
    const edit = option(options, 'edit');
    expect(edit).toBeDefined();
    expect(edit!.rank).toBeGreaterThan(option(options, 'correct')!.rank);
    expect(edit!.reason.en).toMatch(/outdated/);
    expect(edit!.reason.fr).toMatch(/obsolète/);
  });

  it('an unread wrong price with an outdated device: no longer edit first', () => {
    const options = adviseRemedies(sent('wrong_price', at(60), simulator, { devicesIgnoringChanges: 2 }));
    expect(options[0]?.remedy).not.toBe('edit');
    expect(option(options, 'delete_for_everyone_and_correct')?.reason.en).toMatch(/outdated/);
  });

  it('all devices up to date: unchanged', () => {
    expect(adviseRemedies(sent('typo', at(60), simulator, { devicesIgnoringChanges: 0 }))[0]?.remedy).toBe('edit');
  });

  it('a channel that confirms nothing: the edit says the result cannot be known', () => {
    const evolution = channel('evolution');
    const edit = option(adviseRemedies(sent('typo', at(60), evolution)), 'edit');
    expect(edit?.reason.en).toMatch(/confirms nothing/);
  });
});

describe('a message awaiting approval (issue 11, defect 5)', () => {
  const waiting = (mistake: MistakeKind) => sent(mistake, at(60), simulator, { status: 'awaiting_approval', revocableUntil: null, editableUntil: null });

  it.each<MistakeKind>(['typo', 'wrong_price', 'confidential', 'tone'])('%s: withdraw it, never a correction', (mistake) => {
    const options = adviseRemedies(waiting(mistake));
    expect(remedies(options)).toEqual(['cancel']);
    expect(options[0]?.reason.en).toMatch(/has not received it/);
    expect(options[0]?.reason.en).not.toMatch(/still sees/);
  });

  it('rejected: edit it and resubmit, nothing to correct', () => {
    const options = adviseRemedies(sent('typo', at(60), simulator, { status: 'rejected', revocableUntil: null, editableUntil: null }));
    expect(remedies(options)).toEqual(['edit', 'none']);
    expect(options[0]?.reason.en).toMatch(/resubmit/);
  });
});
