import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runGuard } from '../domain/guard/index.ts';
import { runCheckCommand } from './check-command.ts';

// The domain guard without a speller: fast and deterministic for CLI behaviour.
const guard = { check: (input: Parameters<typeof runGuard>[0]) => runGuard(input, { defaultRegion: 'FR' }) };

async function run(stdin: string, flags: { jsonl?: boolean; pretty?: boolean } = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCheckCommand({ input: Readable.from([stdin]), output: { write: (s: string) => (out += s) }, guard, ...flags });
  return { code, out };
}

describe('errata check', () => {
  it('checks one plain-text message', async () => {
    const { code, out } = await run('Votre IBAN : FR72 3000 6000 0806 1951 4469 692\n');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.verdict).toBe('block');
    expect(result.findings[0]).toMatchObject({ kind: 'pii.iban', category: 'pii', severity: 'block', start: 13, end: 46 });
  });

  it('writes one line per JSONL input, in order, with errors for bad lines and a failing exit code', async () => {
    const lines = [
      JSON.stringify({ id: 'a', text: 'Bonjour Paul, à demain !', recipient: { name: 'Paul' } }),
      '{not json',
      JSON.stringify({ id: 'b' }),
      JSON.stringify({ id: 'c', text: 'Hi Jessica!', recipient: { name: 'Olivia' }, otherContacts: [{ name: 'Jessica Hall' }] }),
      JSON.stringify({ id: 'd', text: '   ' }),
      JSON.stringify({ id: 'e', text: 'x'.repeat(100_001) }),
      JSON.stringify({ id: 'f', text: 'Le gâteau est à 350 €', catalog: [{ name: 'Gâteau', price: 35 }, { name: 'Tarte' }] }),
      JSON.stringify({ id: 'g', text: 42 }),
    ].join('\n');
    const { code, out } = await run(`${lines}\n`, { jsonl: true });
    expect(code).toBe(1);
    const results = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(results).toHaveLength(8);
    expect(results[0]).toEqual({ id: 'a', verdict: 'pass', findings: [] });
    expect(results[1].error.code).toBe('invalid_json');
    expect(results[2]).toMatchObject({ id: 'b', error: { code: 'missing_text' } });
    expect(results[3]).toMatchObject({ id: 'c', verdict: 'review', findings: [{ kind: 'recipient.name' }] });
    expect(results[4]).toMatchObject({ id: 'd', error: { code: 'empty_text' } });
    expect(results[5]).toMatchObject({ id: 'e', error: { code: 'text_too_long' } });
    expect(results[6]).toMatchObject({ id: 'f', verdict: 'review', findings: [{ kind: 'price.mismatch', suggestion: '35 €' }] });
    expect(results[7]).toMatchObject({ id: 'g', error: { code: 'invalid_input' } });
  });

  it('exits 0 when every line succeeds, and survives lone surrogates and control characters', async () => {
    const { code, out } = await run(`${JSON.stringify({ id: 1, text: 'Bonjour \ud800 \u0007 merci' })}\n`, { jsonl: true });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ id: 1, verdict: 'pass', findings: [] });
  });

  it('prints a human report with --pretty', async () => {
    const { out } = await run(JSON.stringify({ id: 'x', text: 'Carte 4570 6398 3536 0279' }), { jsonl: true, pretty: true });
    expect(out).toContain('message x: BLOCK');
    expect(out).toContain('[block] pii.card 6-25 “4570 6398 3536 0279”');
  });
});
