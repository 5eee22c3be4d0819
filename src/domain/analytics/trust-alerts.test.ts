import { describe, expect, it } from 'vitest';
import { activeConditions, DEFAULT_ALERT_SETTINGS, median, reconcileAlerts, settledDeletions, webhookRetryDelaySeconds } from './alert-rules.ts';
import { ownsMistake, readsAsCorrection } from './correction-text.ts';
import { csvField, toCsv } from './csv.ts';
import { deletionMeasures, type DeletionMeasures, type IncidentFact } from './deletion-measures.ts';
import { previousPeriod } from './period.ts';
import { trend, trustScore } from './trust-score.ts';

describe('trust score', () => {
  it('follows the documented formula', () => {
    // visible = 5 + ½ × 1 = 5.5 of 30 (18 % ≥ 5 %): frequency 0; transparency 0.4; unseen 1 − 0.4 = 0.6
    // → 100 × (0.5 × 0 + 0.3 × 0.4 + 0.2 × 0.6) = 24
    expect(trustScore({ sent: 30, deletedForEveryone: 5, edited: 1, transparencyRate: 0.4, mayHaveBeenSeenRate: 0.4 })).toBe(24);
    // visible = 2 + 1 = 3 of 200 = 1.5 %: frequency 1 − 0.3 = 0.7; 0.5 × 0.7 + 0.3 × 0.5 + 0.2 × 0.5 = 0.6
    expect(trustScore({ sent: 200, deletedForEveryone: 2, edited: 2, transparencyRate: 0.5, mayHaveBeenSeenRate: 0.5 })).toBe(60);
    expect(trustScore({ sent: 100, deletedForEveryone: 0, edited: 0, transparencyRate: null, mayHaveBeenSeenRate: null })).toBe(100);
    expect(trustScore({ sent: 0, deletedForEveryone: 0, edited: 0, transparencyRate: null, mayHaveBeenSeenRate: null })).toBeNull();
    expect(trend(60, 24)).toBe(36);
    expect(trend(60, null)).toBeNull();
  });
});

const base = (over: Partial<DeletionMeasures>): DeletionMeasures => ({ ...deletionMeasures([], [], { correctionWithinSeconds: 3600, timeZone: 'UTC' }), ...over });
const agent = (agentId: string, sent: number, deleted: number) => ({ agentId, sent, deleted, deletedForMe: 0, edited: 0, deletionRate: deleted / sent });

describe('alert rules', () => {
  it('deletion rate over the threshold, once enough was sent', () => {
    const m = base({ sent: 100, deletedForEveryone: 4, deletionRate: 0.04 });
    expect(activeConditions(DEFAULT_ALERT_SETTINGS, m, m)).toEqual([{ kind: 'deletion_rate', agentId: null, value: 0.04, threshold: 0.03 }]);
    const few = base({ sent: 10, deletedForEveryone: 1, deletionRate: 0.1 });
    expect(activeConditions(DEFAULT_ALERT_SETTINGS, few, few)).toEqual([]);
    expect(activeConditions({ ...DEFAULT_ALERT_SETTINGS, deletionRateAbove: null }, m, m)).toEqual([]);
  });

  it('transparency under the threshold reads only deletions whose correction window is over', () => {
    const settled = { deletedForEveryone: 4, transparencyRate: 0.5 };
    expect(activeConditions(DEFAULT_ALERT_SETTINGS, base({ sent: 10 }), settled)).toEqual([{ kind: 'transparency', agentId: null, value: 0.5, threshold: 0.8 }]);
    const now = new Date('2026-03-02T12:00:00Z');
    const f = (revokedAt: string) => ({ revokedAt: new Date(revokedAt) }) as IncidentFact;
    expect(settledDeletions([f('2026-03-02T11:30:00Z'), f('2026-03-02T10:59:59Z')], now, 3600).length).toBe(1);
  });

  it('an agent over k × the team median (floored at 1 %)', () => {
    const m = base({ sent: 400, byAgent: [agent('a', 100, 1), agent('b', 100, 2), agent('c', 100, 5), agent('d', 100, 10)] });
    // median of 1 %, 2 %, 5 %, 10 % = 3.5 % → limit 7 %: d only
    expect(activeConditions({ ...DEFAULT_ALERT_SETTINGS, deletionRateAbove: null }, m, { deletedForEveryone: 0, transparencyRate: null })).toEqual([
      { kind: 'agent_outlier', agentId: 'd', value: 0.1, threshold: 0.07 },
    ]);
    const quiet = base({ sent: 300, byAgent: [agent('a', 100, 0), agent('b', 100, 0), agent('c', 100, 1)] });
    // median 0 → floored to 1 %, limit 2 %: c's 1 % is not an outlier
    expect(activeConditions({ ...DEFAULT_ALERT_SETTINGS, deletionRateAbove: null }, quiet, { deletedForEveryone: 0, transparencyRate: null })).toEqual([]);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('raise once, clear once', () => {
    const cond = { kind: 'deletion_rate' as const, agentId: null, value: 0.05, threshold: 0.03 };
    expect(reconcileAlerts([], [cond])).toEqual({ raise: [cond], clear: [] });
    const open = [{ id: '1', kind: 'deletion_rate' as const, agentId: null }];
    expect(reconcileAlerts(open, [cond])).toEqual({ raise: [], clear: [] });
    expect(reconcileAlerts(open, [])).toEqual({ raise: [], clear: open });
  });

  it('webhook retries back off', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(webhookRetryDelaySeconds)).toEqual([10, 30, 90, 270, 810, 2430, 3600]);
  });
});

describe('periods, CSV, corrections', () => {
  it('the previous period has the same length and ends where this one starts', () => {
    const p = previousPeriod({ from: new Date('2026-03-08T00:00:00Z'), to: new Date('2026-03-15T00:00:00Z') });
    expect(p).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') });
  });

  it('escapes CSV fields (RFC 4180) and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x y']])).toBe('a,b\r\n1,x y\r\n');
  });

  it('reads corrections and owning the mistake in French and English', () => {
    const texts = [
      'Désolé Marie, une erreur de prix : le bon prix est 1 000 €.',
      'Sorry James, I sent that by mistake.',
      'Le message supprimé contenait une coquille, voici la bonne adresse.',
      'Votre commande est partie.',
    ];
    expect(texts.map((text) => readsAsCorrection({ text, replyToMessageId: null }, 'm'))).toEqual([true, true, true, false]);
    expect(texts.map(ownsMistake)).toEqual([true, true, false, false]);
    // Quoting the deleted message makes any text a correction.
    expect(readsAsCorrection({ text: texts[3]!, replyToMessageId: 'm' }, 'm')).toBe(true);
  });
});
