import { describe, expect, it } from 'vitest';
import { decideStatus, findMentions, nextInTurn, normalizeLabels, reopensOnCustomerMessage, snoozeOver } from './inbox.ts';

const now = new Date('2026-03-02T10:00:00Z');
const open = { status: 'open' as const, snoozedUntil: null };

describe('decideStatus', () => {
  it('snoozes until a future time, records from and to', () => {
    const until = new Date('2026-03-02T11:00:00Z');
    const d = decideStatus(open, { status: 'snoozed', snoozeUntil: until }, now);
    expect(d).toMatchObject({ ok: true, changed: true, next: { status: 'snoozed', snoozedUntil: until } });
    if (d.ok && d.changed) expect(d.event.data).toEqual({ from: 'open', to: 'snoozed', snoozedUntil: until.toISOString() });
  });

  it('refuses a snooze without a time, at now or before, beyond a year, and a time with another status', () => {
    expect(decideStatus(open, { status: 'snoozed' }, now)).toMatchObject({ ok: false, error: { code: 'validation_failed', details: { field: 'snoozeUntil' } } });
    expect(decideStatus(open, { status: 'snoozed', snoozeUntil: now }, now).ok).toBe(false);
    expect(decideStatus(open, { status: 'snoozed', snoozeUntil: new Date('2027-03-10T10:00:00Z') }, now).ok).toBe(false);
    expect(decideStatus(open, { status: 'resolved', snoozeUntil: new Date('2026-03-03T10:00:00Z') }, now).ok).toBe(false);
  });

  it('the same status is no change; a new snooze time is one', () => {
    expect(decideStatus(open, { status: 'open' }, now)).toEqual({ ok: true, changed: false });
    const snoozed = { status: 'snoozed' as const, snoozedUntil: new Date('2026-03-02T11:00:00Z') };
    expect(decideStatus(snoozed, { status: 'snoozed', snoozeUntil: new Date('2026-03-02T11:00:00Z') }, now)).toEqual({ ok: true, changed: false });
    expect(decideStatus(snoozed, { status: 'snoozed', snoozeUntil: new Date('2026-03-02T12:00:00Z') }, now)).toMatchObject({ changed: true });
  });
});

describe('reopening', () => {
  it('a customer reopens resolved and snoozed conversations only', () => {
    expect(['open', 'pending', 'snoozed', 'resolved'].filter((s) => reopensOnCustomerMessage(s as 'open'))).toEqual(['snoozed', 'resolved']);
  });
  it('a snooze is over at its time, not a millisecond before', () => {
    const snoozed = { status: 'snoozed' as const, snoozedUntil: now };
    expect(snoozeOver(snoozed, new Date(now.getTime() - 1))).toBe(false);
    expect(snoozeOver(snoozed, now)).toBe(true);
    expect(snoozeOver(open, now)).toBe(false);
  });
});

describe('nextInTurn', () => {
  it('goes round the agents in a fixed order, wrapping, and survives the last one leaving', () => {
    const agents = ['c', 'a', 'b'];
    const turns: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 7; i++) {
      last = nextInTurn(agents, last);
      turns.push(last!);
    }
    expect(turns).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(nextInTurn(['a', 'c'], 'b')).toBe('c');
    expect(nextInTurn(['a', 'b'], 'z')).toBe('a');
    expect(nextInTurn([], 'a')).toBeNull();
  });
  it('is fair over 100 turns', () => {
    const agents = ['u1', 'u2', 'u3'];
    const counts = new Map<string, number>();
    let last: string | null = null;
    for (let i = 0; i < 100; i++) {
      last = nextInTurn(agents, last)!;
      counts.set(last, (counts.get(last) ?? 0) + 1);
    }
    expect([...counts.values()].sort()).toEqual([33, 33, 34]);
  });
});

describe('normalizeLabels', () => {
  it('trims, collapses spaces, drops duplicates and empties, and reuses the workspace’s spelling', () => {
    expect(normalizeLabels(['  vip ', 'Billing   issue', 'VIP', '', 'Événement', 'evenement'], ['VIP'])).toEqual(['Billing issue', 'Événement', 'VIP']);
    expect(normalizeLabels([], ['VIP'])).toEqual([]);
  });
});

describe('findMentions', () => {
  const team = [
    { id: 'alice', name: 'Alice Martin' },
    { id: 'alicia', name: 'Alicia Keys' },
    { id: 'ana', name: 'Ana Lopez' },
    { id: 'ana2', name: 'Ana Lo' },
    { id: 'zoe', name: 'Zoé Durand' },
  ];
  it('finds full names and unique first names, case and accents aside', () => {
    expect(findMentions('@alice martin and @Alicia, see this', team).sort()).toEqual(['alice', 'alicia']);
    expect(findMentions('@Alice please', team)).toEqual(['alice']);
    expect(findMentions('@zoe ?', team)).toEqual(['zoe']);
    expect(findMentions('@Ana Lopez, @Ana Lo.', team).sort()).toEqual(['ana', 'ana2']);
  });
  it('ignores an ambiguous first name, e-mail addresses and longer words', () => {
    expect(findMentions('@Ana can you', team)).toEqual([]);
    expect(findMentions('write to alice@example.com', team)).toEqual([]);
    expect(findMentions('@Alicestyle', team)).toEqual([]);
  });
});
