import { describe, expect, it } from 'vitest';
import { ACTIONS, can, permissionsOf, ROLES, roleWithin } from './actor.ts';
import { linkUsable, passwordAcceptable, tokenAllowed, tokensExceeding, userChangeAllowed } from './team.ts';

const common = new Set(['password', 'qwertyuiop', 'dragon', 'iloveyou']);
const isCommon = (p: string) => common.has(p);

describe('passwordAcceptable', () => {
  it('asks for 10 characters (counted as characters, not UTF-16 units)', () => {
    expect(passwordAcceptable('short', isCommon)).toMatchObject({ ok: false, reason: 'password_too_short' });
    expect(passwordAcceptable('🙂🙂🙂🙂🙂🙂🙂🙂🙂', isCommon)).toMatchObject({ ok: false, reason: 'password_too_short' });
    expect(passwordAcceptable('violet kettle', isCommon)).toEqual({ ok: true });
    expect(passwordAcceptable('x'.repeat(201), isCommon)).toMatchObject({ ok: false, reason: 'password_too_long' });
  });

  it('refuses common passwords, also with capitals and trailing digits or punctuation, and the e-mail’s name', () => {
    for (const p of ['QwertyUiop', 'Password2024!', 'dragon1234567', 'iloveyou!!!!']) {
      expect(passwordAcceptable(p, isCommon), p).toMatchObject({ ok: false, reason: 'password_common' });
    }
    expect(passwordAcceptable('claire.dubois99', isCommon, { email: 'Claire.Dubois@example.fr' })).toMatchObject({ reason: 'password_common' });
    expect(passwordAcceptable('password manager rocks', isCommon)).toEqual({ ok: true });
  });

  it('explains in French and English', () => {
    const refusal = passwordAcceptable('abc', isCommon);
    expect(refusal.ok).toBe(false);
    if (!refusal.ok) {
      expect(refusal.message.en).toMatch(/at least 10/);
      expect(refusal.message.fr).toMatch(/au moins 10/);
    }
  });
});

describe('linkUsable', () => {
  const now = new Date('2026-03-09T10:00:00Z');
  it('works before its expiry, once; unknown, used and expired links get the same answer', () => {
    expect(linkUsable({ expiresAt: new Date('2026-03-09T10:00:01Z'), usedAt: null }, now)).toEqual({ ok: true });
    const refusals = [
      linkUsable(undefined, now),
      linkUsable({ expiresAt: new Date('2026-03-09T10:00:00Z'), usedAt: null }, now),
      linkUsable({ expiresAt: new Date('2026-03-10T10:00:00Z'), usedAt: new Date('2026-03-08T10:00:00Z') }, now),
    ];
    expect(new Set(refusals.map((r) => JSON.stringify(r))).size).toBe(1);
  });
});

describe('userChangeAllowed', () => {
  const admin = { userId: 'a' };
  it('an admin never deactivates or demotes themself; renaming oneself is fine', () => {
    const self = { id: 'a', role: 'admin' as const, active: true };
    expect(userChangeAllowed(admin, self, { active: false })).toMatchObject({ reason: 'cannot_deactivate_self' });
    expect(userChangeAllowed(admin, self, { role: 'agent' })).toMatchObject({ reason: 'cannot_change_own_role' });
    expect(userChangeAllowed(admin, self, { role: 'admin', active: true })).toEqual({ ok: true });
    expect(userChangeAllowed(admin, { id: 'b', role: 'admin', active: true }, { role: 'agent', active: false })).toEqual({ ok: true });
  });
});

describe('tokens', () => {
  const now = new Date('2026-03-09T10:00:00Z');
  it('a role within the creator’s, an expiry in the future', () => {
    expect(tokenAllowed('agent', { role: 'agent', expiresAt: null }, now)).toEqual({ ok: true });
    expect(tokenAllowed('agent', { role: 'admin', expiresAt: null }, now)).toMatchObject({ reason: 'token_role_too_high' });
    expect(tokenAllowed('admin', { role: 'agent', expiresAt: now }, now)).toMatchObject({ reason: 'token_expiry_past' });
  });

  it('lowering the owner’s role finds the tokens that now exceed it', () => {
    const tokens = [
      { id: '1', role: 'admin' as const },
      { id: '2', role: 'supervisor' as const },
      { id: '3', role: 'agent' as const },
    ];
    expect(tokensExceeding(tokens, 'supervisor').map((t) => t.id)).toEqual(['1']);
    expect(tokensExceeding(tokens, 'agent').map((t) => t.id)).toEqual(['1', '2']);
  });
});

describe('can() and the role matrix', () => {
  it('roleWithin is derived from can(): a role is within another when every action it may do, the other may do too', () => {
    for (const inner of ROLES) {
      for (const outer of ROLES) {
        const derived = ACTIONS.every((action) => !can({ role: inner }, action) || can({ role: outer }, action));
        expect(roleWithin(inner, outer), `${inner} within ${outer}`).toBe(derived);
      }
      expect(roleWithin(inner, 'admin')).toBe(true);
      expect(roleWithin(inner, inner)).toBe(true);
    }
    expect(roleWithin('admin', 'supervisor')).toBe(false);
    expect(roleWithin('supervisor', 'agent')).toBe(false);
  });

  it('permissionsOf lists exactly what can() allows without a subject', () => {
    for (const role of ROLES) expect(permissionsOf(role)).toEqual(ACTIONS.filter((a) => can({ role }, a)));
  });

  it('team administration: only admins manage people, see every token and change security; anyone sees colleagues and makes own tokens', () => {
    const row = (action: (typeof ACTIONS)[number]) => ROLES.map((role) => can({ role }, action));
    // ROLES order: admin, supervisor, agent, auditor
    expect(row('users.manage')).toEqual([true, false, false, false]);
    expect(row('tokens.read_all')).toEqual([true, false, false, false]);
    expect(row('workspace.security.manage')).toEqual([true, false, false, false]);
    expect(row('users.read')).toEqual([true, true, true, true]);
    expect(row('tokens.create')).toEqual([true, true, true, true]);
    expect(row('workspace.write')).toEqual([true, true, true, false]);
  });

  it('revoking a token: one’s own always, someone else’s only as an admin', () => {
    expect(can({ userId: 'a', role: 'agent' }, 'tokens.revoke', { ownerUserId: 'a' })).toBe(true);
    expect(can({ userId: 'a', role: 'agent' }, 'tokens.revoke', { ownerUserId: 'b' })).toBe(false);
    expect(can({ userId: 'a', role: 'admin' }, 'tokens.revoke', { ownerUserId: 'b' })).toBe(true);
  });
});
