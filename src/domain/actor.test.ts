import { describe, expect, it } from 'vitest';
import { type Actor, can, canChangeMessage, canWrite } from './actor.ts';

const alice: Actor = { userId: 'u-alice', role: 'agent' };
const bob: Actor = { userId: 'u-bob', role: 'agent' };
const admin: Actor = { userId: 'u-admin', role: 'admin' };
const supervisor: Actor = { userId: 'u-sup', role: 'supervisor' };
const auditor: Actor = { userId: 'u-alice', role: 'auditor' };

const outgoingBy = (authorUserId: string | null) => ({ direction: 'out' as const, authorUserId });
const incoming = { direction: 'in' as const, authorUserId: null };

describe('canChangeMessage', () => {
  it('lets the author change their outgoing message', () => {
    expect(canChangeMessage(alice, outgoingBy('u-alice'))).toBe(true);
  });

  it("refuses another agent on someone else's outgoing message", () => {
    expect(canChangeMessage(bob, outgoingBy('u-alice'))).toBe(false);
  });

  it('lets an admin change any outgoing message', () => {
    expect(canChangeMessage(admin, outgoingBy('u-alice'))).toBe(true);
    expect(canChangeMessage(admin, outgoingBy(null))).toBe(true);
  });

  it('refuses a supervisor who is not the author', () => {
    expect(canChangeMessage(supervisor, outgoingBy('u-alice'))).toBe(false);
    expect(canChangeMessage(supervisor, outgoingBy('u-sup'))).toBe(true);
  });

  it('refuses an auditor, even one whose id matches the author', () => {
    expect(canChangeMessage(auditor, outgoingBy('u-alice'))).toBe(false);
    expect(canChangeMessage(auditor, incoming)).toBe(false);
  });

  it('lets any team member (not auditors) tidy a customer message', () => {
    expect(canChangeMessage(alice, incoming)).toBe(true);
    expect(canChangeMessage(bob, incoming)).toBe(true);
    expect(canChangeMessage(supervisor, incoming)).toBe(true);
  });

  it('refuses an agent on an outgoing message with no author', () => {
    expect(canChangeMessage(alice, outgoingBy(null))).toBe(false);
  });
});

describe('canWrite', () => {
  it('is false only for auditors', () => {
    expect(canWrite(alice)).toBe(true);
    expect(canWrite(admin)).toBe(true);
    expect(canWrite(supervisor)).toBe(true);
    expect(canWrite(auditor)).toBe(false);
  });
});

describe('can', () => {
  it('guard feedback: anyone but auditors records; admins and supervisors read; only admins manage the allow-list', () => {
    const roles = [admin, supervisor, alice, auditor];
    expect(roles.map((a) => can(a, 'guard.feedback.record'))).toEqual([true, true, true, false]);
    expect(roles.map((a) => can(a, 'guard.feedback.read'))).toEqual([true, true, false, false]);
    expect(roles.map((a) => can(a, 'guard.allowlist.manage'))).toEqual([true, false, false, false]);
  });
});

describe('can: team inbox', () => {
  it('anyone but auditors changes status, labels and writes notes', () => {
    const roles = [admin, supervisor, alice, auditor];
    for (const action of ['conversation.status', 'conversation.labels', 'conversation.note'] as const) {
      expect(roles.map((a) => can(a, action))).toEqual([true, true, true, false]);
    }
  });

  it('agents take unassigned conversations and give back their own; supervisors and admins assign anyone', () => {
    const to = (from: string | null, target: string | null) => ({ assignment: { from, to: target } });
    expect(can(alice, 'conversation.assign', to(null, 'u-alice'))).toBe(true);
    expect(can(alice, 'conversation.assign', to('u-alice', 'u-alice'))).toBe(true);
    expect(can(alice, 'conversation.assign', to('u-alice', null))).toBe(true);
    expect(can(alice, 'conversation.assign', to(null, 'u-bob'))).toBe(false);
    expect(can(alice, 'conversation.assign', to('u-bob', 'u-alice'))).toBe(false);
    expect(can(alice, 'conversation.assign', to('u-bob', null))).toBe(false);
    expect(can(alice, 'conversation.assign', to(null, null))).toBe(false);
    expect(can(supervisor, 'conversation.assign', to('u-bob', 'u-alice'))).toBe(true);
    expect(can(admin, 'conversation.assign', to('u-bob', null))).toBe(true);
    expect(can(auditor, 'conversation.assign', to(null, 'u-alice'))).toBe(false);
  });
});
