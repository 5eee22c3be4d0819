import { describe, expect, it } from 'vitest';
import type { RevokeOutcome } from '../device-delivery.ts';
import { dayIn, deletionMeasures, type IncidentFact, percentile, type SentCount } from './deletion-measures.ts';

// A hand-built period (docs/analytics.md's definitions, worked out by hand below).
// Agents A and B; "sim" confirms per device, "cloud" confirms nothing. Paris is UTC+1 in early March.
const A = 'agent-a';
const B = 'agent-b';
const at = (iso: string) => new Date(iso);

const sentCounts: SentCount[] = [
  { agentId: A, day: '2026-03-02', sent: 10 },
  { agentId: A, day: '2026-03-03', sent: 10 },
  { agentId: B, day: '2026-03-02', sent: 5 },
  { agentId: B, day: '2026-03-03', sent: 5 },
];

function fact(id: string, agentId: string, sentAt: string, over: Partial<IncidentFact> = {}): IncidentFact {
  return {
    messageId: id,
    conversationId: `c-${id}`,
    agentId,
    channelId: 'sim',
    sentAt: at(sentAt),
    editedAt: null,
    deletedForMeAt: null,
    deletedForMeReason: null,
    revokedAt: null,
    revokeReason: null,
    readBeforeRevoke: false,
    confirmsRevoke: true,
    outcomes: [] as RevokeOutcome[],
    correction: null,
    customerReplyAt: null,
    customerDeletedAt: null,
    ...over,
  };
}

const incidents: IncidentFact[] = [
  // m1: deleted 120 s after sending, unread, applied on both phones; an owning correction 3 min later; the customer replied.
  fact('m1', A, '2026-03-02T09:00:00Z', {
    revokedAt: at('2026-03-02T09:02:00Z'),
    revokeReason: 'wrong_price',
    outcomes: ['applied', 'applied'],
    correction: { sentAt: at('2026-03-02T09:05:00Z'), ownsMistake: true },
    customerReplyAt: at('2026-03-02T10:00:00Z'),
  }),
  // m2: sent 23:30 UTC = 00:30 in Paris the next day; read before its deletion (600 s later), one phone
  // ignored it; corrected at 00:20 UTC, across midnight, 40 min after the deletion (inside one hour).
  fact('m2', A, '2026-03-02T23:30:00Z', {
    revokedAt: at('2026-03-02T23:40:00Z'),
    revokeReason: 'typo',
    readBeforeRevoke: true,
    outcomes: ['applied', 'ignored'],
    correction: { sentAt: at('2026-03-03T00:20:00Z'), ownsMistake: false },
  }),
  // m3: Cloud API (confirms nothing: unknown), deleted an hour after sending; the correction came
  // 90 min later (outside one hour); the customer deleted a message of theirs 30 min after.
  fact('m3', B, '2026-03-03T10:00:00Z', {
    channelId: 'cloud',
    confirmsRevoke: false,
    revokedAt: at('2026-03-03T11:00:00Z'),
    revokeReason: 'confidential',
    correction: { sentAt: at('2026-03-03T12:30:00Z'), ownsMistake: true },
    customerDeletedAt: at('2026-03-03T11:30:00Z'),
  }),
  // m4: deleted for me, then for everyone: counts once, as deleted for everyone; it reached no device.
  fact('m4', A, '2026-03-03T07:00:00Z', {
    deletedForMeAt: at('2026-03-03T07:30:00Z'),
    deletedForMeReason: 'promotion_withdrawn',
    revokedAt: at('2026-03-03T08:00:00Z'),
    revokeReason: 'promotion_withdrawn',
  }),
  // m5: deleted for me, then restored: the facts keep nothing of it — it counts nowhere.
  fact('m5', B, '2026-03-02T12:00:00Z'),
  // m6: deleted for me only.
  fact('m6', B, '2026-03-02T13:00:00Z', { deletedForMeAt: at('2026-03-02T13:05:00Z'), deletedForMeReason: 'other' }),
  // m7: edited after leaving.
  fact('m7', A, '2026-03-03T09:00:00Z', { editedAt: at('2026-03-03T09:03:00Z') }),
  // m8: edited, then deleted for everyone (counts as deleted, not as edited); one phone offline.
  fact('m8', A, '2026-03-03T12:00:00Z', {
    editedAt: at('2026-03-03T12:02:00Z'),
    revokedAt: at('2026-03-03T12:10:00Z'),
    revokeReason: 'typo',
    outcomes: ['pending'],
  }),
];

const options = { correctionWithinSeconds: 3_600, timeZone: 'UTC' };

describe('deletion measures on a hand-built period', () => {
  const m = deletionMeasures(sentCounts, incidents, options);

  it('counts sent, deleted for everyone, deleted for me only and edited only', () => {
    expect(m.sent).toBe(30); // 10 + 10 + 5 + 5
    expect(m.deletedForEveryone).toBe(5); // m1 m2 m3 m4 m8
    expect(m.deletedForMe).toBe(1); // m6 (m4 is deleted for everyone, m5 restored)
    expect(m.edited).toBe(1); // m7 (m8 was deleted afterwards)
    expect(m.deletionRate).toBeCloseTo(5 / 30, 12);
    expect(m.editRate).toBeCloseTo(1 / 30, 12);
  });

  it('times to delete: nearest-rank median and 90th percentile', () => {
    // delays: m1 120, m2 600, m3 3600, m4 3600, m8 600 → sorted 120 600 600 3600 3600
    expect(m.timeToDelete).toEqual({ p50Seconds: 600, p90Seconds: 3_600 });
  });

  it('before read, unverifiable, may have been seen, without devices, outcomes', () => {
    expect(m.beforeReadRate).toBeCloseTo(4 / 5, 12); // all but m2
    expect(m.unverifiableRate).toBeCloseTo(2 / 5, 12); // m2 (ignored), m3 (channel confirms nothing); m8 pending is not
    expect(m.mayHaveBeenSeenRate).toBeCloseTo(2 / 5, 12); // m2 (read, ignored), m3
    expect(m.withoutDevices).toBe(1); // m4: not unverifiable, nobody received it
    expect(m.outcomes).toEqual({ applied: 2, pending: 1, ignored: 1, expired: 0, unknown: 1 });
  });

  it('transparency: corrected within the window, across midnight too; owning the mistake', () => {
    expect(m.corrected).toBe(2); // m1 (3 min), m2 (40 min, the next day in UTC); m3's came after 90 min
    expect(m.transparencyRate).toBeCloseTo(2 / 5, 12);
    expect(m.ownsMistakeRate).toBeCloseTo(1 / 2, 12); // m1 owns it, m2 does not
    // With a two-hour window m3's correction counts too.
    const wide = deletionMeasures(sentCounts, incidents, { ...options, correctionWithinSeconds: 7_200 });
    expect(wide.corrected).toBe(3);
    expect(wide.ownsMistakeRate).toBeCloseTo(2 / 3, 12);
  });

  it('reasons, agents and customer signals', () => {
    expect(m.byReason).toEqual({ wrong_price: 1, typo: 2, confidential: 1, promotion_withdrawn: 1 });
    expect(m.byReasonForMe).toEqual({ other: 1 });
    expect(m.byAgent).toEqual([
      { agentId: A, sent: 20, deleted: 4, deletedForMe: 0, edited: 1, deletionRate: 0.2 },
      { agentId: B, sent: 10, deleted: 1, deletedForMe: 1, edited: 0, deletionRate: 0.1 },
    ]);
    expect(m.customer).toEqual({ repliesWithin24h: 1, replyRate: 0.2, customerDeletesWithin24h: 1, optOuts: null });
  });

  it('day series follow the time zone of the question', () => {
    expect(m.series).toEqual([
      { day: '2026-03-02', sent: 15, deletedForEveryone: 2, edited: 0, deletionRate: 2 / 15 },
      { day: '2026-03-03', sent: 15, deletedForEveryone: 3, edited: 1, deletionRate: 3 / 15 },
    ]);
    // In Paris m2 was sent on the 3rd (00:30). The sent counts come per Paris day from the database.
    const paris = deletionMeasures(sentCounts, incidents, { ...options, timeZone: 'Europe/Paris' });
    expect(paris.series.map((d) => [d.day, d.deletedForEveryone])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-03', 4],
    ]);
    expect(dayIn(at('2026-03-02T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-03');
    expect(dayIn(at('2026-03-02T23:30:00Z'), 'America/New_York')).toBe('2026-03-02');
  });

  it('says null, not 0, where there is nothing to divide by', () => {
    const empty = deletionMeasures([], [], options);
    expect(empty).toMatchObject({
      sent: 0,
      deletionRate: null,
      beforeReadRate: null,
      transparencyRate: null,
      ownsMistakeRate: null,
      timeToDelete: { p50Seconds: null, p90Seconds: null },
      byAgent: [],
      series: [],
    });
  });

  it('a deletion whose correction was sent before it is not corrected by it', () => {
    const early = fact('x', A, '2026-03-02T09:00:00Z', {
      revokedAt: at('2026-03-02T09:10:00Z'),
      correction: { sentAt: at('2026-03-02T09:05:00Z'), ownsMistake: true },
    });
    expect(deletionMeasures(sentCounts, [early], options).corrected).toBe(0);
  });
});

describe('percentile (nearest rank)', () => {
  it('matches PostgreSQL percentile_disc', () => {
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([], 0.5)).toBeNull();
  });
});
