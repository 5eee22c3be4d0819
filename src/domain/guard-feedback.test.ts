import { describe, expect, it } from 'vitest';
import {
  allowListProposals,
  corpusLine,
  decideAllowEntry,
  decideFalseAlarm,
  decideGlossaryWord,
  decideMissedMistake,
  decideRemoval,
  falseAlarmRates,
  type FalseAlarmGroup,
} from './guard-feedback.ts';

const now = new Date('2026-03-02T10:00:00Z');
const base = { id: 'f1', workspaceId: 'w1', userId: 'u1', now };

describe('decideFalseAlarm', () => {
  it('keeps the phrase under the span and its folded form', () => {
    const d = decideFalseAlarm({ ...base, findingKind: 'spelling.word', text: 'Votre Updo est prêt', span: { start: 6, end: 10 }, glossary: true });
    expect(d.ok && d.value).toMatchObject({ verdict: 'false_alarm', kind: 'spelling.word', category: 'spelling', phrase: 'Updo', foldedPhrase: 'updo', glossary: true, createdAt: now });
  });

  it('refuses a span outside the text, on spaces only, a glossary wish for another category, a bare category', () => {
    const text = 'Hi  there';
    const codes = [
      decideFalseAlarm({ ...base, findingKind: 'tone.blaming', text, span: { start: 3, end: 99 } }),
      decideFalseAlarm({ ...base, findingKind: 'tone.blaming', text, span: { start: 2, end: 4 } }),
      decideFalseAlarm({ ...base, findingKind: 'tone.blaming', text, span: { start: 0, end: 2 }, glossary: true }),
      decideFalseAlarm({ ...base, findingKind: 'tone', text, span: { start: 0, end: 2 } }),
      decideFalseAlarm({ ...base, findingKind: 'weather.rain', text, span: { start: 0, end: 2 } }),
    ].map((d) => (d.ok ? 'ok' : d.error.code));
    expect(codes).toEqual(['validation_failed', 'validation_failed', 'validation_failed', 'validation_failed', 'validation_failed']);
  });
});

describe('decideMissedMistake', () => {
  it('takes a kind or a category, with or without a span', () => {
    const whole = decideMissedMistake({ ...base, kind: 'tone', text: 'Read the terms next time.' });
    expect(whole.ok && whole.value).toMatchObject({ kind: 'tone', category: 'tone', span: null, phrase: null, foldedPhrase: null });
    const part = decideMissedMistake({ ...base, kind: 'price.mismatch', text: 'It costs 12 €', span: { start: 9, end: 13 } });
    expect(part.ok && part.value.phrase).toBe('12 €');
  });
});

describe('allow-list entries', () => {
  const input = { ...base, text: '  Crème  brûlée ', kind: 'spelling.word' };

  it('stores the phrase tidied and folded; refuses a duplicate of an active entry with the same scope', () => {
    const d = decideAllowEntry(input, []);
    expect(d.ok && d.value).toMatchObject({ phrase: 'Crème brûlée', foldedPhrase: 'creme brulee', kind: 'spelling.word', category: null, createdBy: 'u1' });
    const again = decideAllowEntry({ ...input, text: 'CREME BRULEE' }, [d.ok ? d.value : never()]);
    expect(!again.ok && again.error.code).toBe('conflict');
    // Another scope is another entry.
    expect(decideAllowEntry({ ...input, kind: undefined, category: 'tone' }, [d.ok ? d.value : never()]).ok).toBe(true);
  });

  it('refuses kind and category together, and an empty phrase', () => {
    expect(decideAllowEntry({ ...input, category: 'tone' }, []).ok).toBe(false);
    expect(decideAllowEntry({ ...input, text: ' ’ ' }, []).ok).toBe(true);
    expect(decideAllowEntry({ ...input, text: '   ' }, []).ok).toBe(false);
  });

  it('the glossary takes one word, as a spelling.word entry', () => {
    const ok = decideGlossaryWord({ ...base, word: ' Airbnb ' }, []);
    expect(ok.ok && ok.value).toMatchObject({ phrase: 'Airbnb', kind: 'spelling.word' });
    expect(decideGlossaryWord({ ...base, word: "aujourd'hui" }, []).ok).toBe(true);
    expect(decideGlossaryWord({ ...base, word: 'two words' }, []).ok).toBe(false);
  });

  it('removal is recorded once', () => {
    const entry = (decideAllowEntry(input, []) as { ok: true; value: Parameters<typeof decideRemoval>[0] }).value;
    const first = decideRemoval(entry, 'u2', now);
    expect(first).toMatchObject({ changed: true, entry: { removedAt: now, removedBy: 'u2' } });
    expect(decideRemoval(first.entry, 'u3', new Date()).changed).toBe(false);
  });
});

describe('allowListProposals', () => {
  const group = (over: Partial<FalseAlarmGroup>): FalseAlarmGroup => ({
    kind: 'tone.blaming',
    category: 'tone',
    foldedPhrase: 'as agreed',
    phrase: 'As agreed',
    count: 3,
    reporters: 2,
    lastAt: now,
    glossary: false,
    ...over,
  });

  it('proposes from three reports, or one glossary wish on a spelling word, unless an active entry covers it', () => {
    const groups = [group({}), group({ foldedPhrase: 'twice', count: 2 }), group({ kind: 'spelling.word', category: 'spelling', foldedPhrase: 'updo', count: 1, glossary: true })];
    expect(allowListProposals(groups, []).map((g) => g.foldedPhrase)).toEqual(['as agreed', 'updo']);
    expect(allowListProposals(groups, [{ foldedPhrase: 'as agreed', kind: null, category: 'tone' }]).map((g) => g.foldedPhrase)).toEqual(['updo']);
    // An entry for another kind does not cover it.
    expect(allowListProposals(groups, [{ foldedPhrase: 'as agreed', kind: 'tone.dismissive', category: null }])).toHaveLength(2);
  });
});

describe('corpusLine', () => {
  it('a missed mistake is a label; a false alarm is expect [] with the contradicted finding in notExpected', () => {
    const missed = decideMissedMistake({ ...base, kind: 'tone', text: 'Read the terms.', span: { start: 0, end: 14 } });
    expect(corpusLine(missed.ok ? missed.value : never())).toEqual({ id: 'fb-f1', text: 'Read the terms.', expect: [{ category: 'tone', text: 'Read the terms' }] });
    const fa = decideFalseAlarm({ ...base, findingKind: 'spelling.word', text: 'Your updo', span: { start: 5, end: 9 } });
    expect(corpusLine(fa.ok ? fa.value : never())).toEqual({ id: 'fb-f1', text: 'Your updo', expect: [], notExpected: [{ kind: 'spelling.word', text: 'updo' }] });
  });
});

describe('falseAlarmRates', () => {
  it('divides false alarms by stored findings per kind; null without findings', () => {
    const rows = falseAlarmRates(
      [
        { verdict: 'false_alarm', kind: 'tone.blaming', n: 2 },
        { verdict: 'missed', kind: 'tone', n: 1 },
      ],
      [{ kind: 'tone.blaming', n: 8 }],
    );
    expect(rows).toEqual([
      { kind: 'tone', category: 'tone', falseAlarms: 0, missed: 1, findings: 0, falseAlarmRate: null },
      { kind: 'tone.blaming', category: 'tone', falseAlarms: 2, missed: 0, findings: 8, falseAlarmRate: 0.25 },
    ]);
  });
});

function never(): never {
  throw new Error('unexpected refusal');
}
