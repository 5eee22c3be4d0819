import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer.tsx';
import FixDialog from './FixDialog.tsx';
import { channel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import type { Finding, Session } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const text = 'Hi James, your updo is ready';
const updo: Finding = {
  kind: 'spelling.word',
  category: 'spelling',
  severity: 'warn',
  start: 15,
  end: 19,
  message: 'Possible misspelling',
  action: 'warn',
};
const tone: Finding = { kind: 'tone.dismissive', category: 'tone', severity: 'warn', start: 0, end: 8, message: 'Dismissive', action: 'warn' };

const as = (role: Session['user']['role']): Session => ({ ...session, user: { ...session.user, role } });

function serve(findings: Finding[]) {
  return fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/guard/check') return { body: { verdict: 'warn', findings, holdSeconds: 40 } };
    if (method === 'POST' && path === '/api/v1/guard/feedback') return { status: 201, body: { id: crypto.randomUUID(), ...(body as object) } };
    if (method === 'POST' && path === '/api/v1/guard/glossary') return { status: 201, body: { id: crypto.randomUUID() } };
  });
}

function composer(who: Session = session, lang: 'en' | 'fr' = 'en') {
  renderWithProviders(<Composer session={who} conversation={conversation} channel={channel} />, lang);
  const box = screen.getByRole('textbox', { name: lang === 'en' ? 'Message to James Carter' : /James Carter/ }) as HTMLTextAreaElement;
  fireEvent.change(box, { target: { value: text } });
  return box;
}

describe('Composer: “Not a mistake”', () => {
  it('records the finding as a false alarm with the text and span, says so, and counts as acknowledging it', async () => {
    const server = serve([updo]);
    composer();
    const findings = await screen.findByRole('list', { name: 'What the check found' });
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.click(within(findings).getByRole('button', { name: 'Not a mistake' }));
    await screen.findByText('Reported as not a mistake — thank you.');
    const call = server.calls.find((c) => c.path === '/api/v1/guard/feedback')!;
    expect(call.body).toEqual({ verdict: 'false_alarm', findingKind: 'spelling.word', text, span: { start: 15, end: 19 } });
    expect(call.headers['x-errata-csrf']).toBe('1');
    expect(within(findings).queryByRole('button', { name: 'Not a mistake' })).toBeNull();
    // Its only warning of that kind was judged not a mistake: nothing left to tick.
    expect((screen.getByRole('checkbox', { name: /I have read this/ }) as HTMLInputElement).checked).toBe(true);
    expect(send.disabled).toBe(false);
    expect(server.calls.some((c) => c.path === '/api/v1/guard/glossary')).toBe(false);
  });

  it('offers “Add to glossary” on spelling findings only; an agent’s wish becomes a proposal for an admin', async () => {
    const server = serve([tone, updo]);
    composer();
    const findings = await screen.findByRole('list', { name: 'What the check found' });
    const [toneItem, updoItem] = within(findings).getAllByRole('listitem');
    expect(within(toneItem!).queryByRole('button', { name: 'Add to glossary' })).toBeNull();
    fireEvent.click(within(updoItem!).getByRole('button', { name: 'Add to glossary' }));
    await screen.findByText('“updo” proposed to an admin for the glossary.');
    expect(server.calls.find((c) => c.path === '/api/v1/guard/feedback')!.body).toMatchObject({ findingKind: 'spelling.word', glossary: true });
    expect(server.calls.some((c) => c.path === '/api/v1/guard/glossary')).toBe(false);
  });

  it('an admin’s “Add to glossary” adds the word at once', async () => {
    const server = serve([updo]);
    composer(as('admin'));
    fireEvent.click(await screen.findByRole('button', { name: 'Add to glossary' }));
    await screen.findByText('“updo” added to the glossary.');
    expect(server.calls.find((c) => c.path === '/api/v1/guard/glossary')!.body).toEqual({ word: 'updo' });
  });

  it('speaks French, and shows an error without marking the finding when the server refuses', async () => {
    fakeServer(({ path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'warn', findings: [updo], holdSeconds: 40 } };
      if (path === '/api/v1/guard/feedback') return { status: 400, body: { error: { code: 'validation_failed', message: 'La plage doit être dans le texte.' } } };
    });
    composer(session, 'fr');
    expect(await screen.findByRole('button', { name: 'Ajouter au glossaire' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pas une erreur' }));
    await screen.findByText('La plage doit être dans le texte.');
    expect(screen.getByRole('button', { name: 'Pas une erreur' })).toBeTruthy();
  });

  it('is not offered to auditors', async () => {
    serve([updo]);
    composer(as('auditor'));
    await screen.findByRole('list', { name: 'What the check found' });
    expect(screen.queryByRole('button', { name: 'Not a mistake' })).toBeNull();
  });
});

describe('Fix dialog: “Report a missed mistake”', () => {
  const m = message({ text: 'Had you read the terms, you would know.' });
  const remedies = { messageId: m.id, mistake: 'tone', remedies: [{ remedy: 'correct', rank: 1, reason: { en: 'Say sorry.', fr: 'Excusez-vous.' }, secondsLeft: null }] };

  function dialog(lang: 'en' | 'fr' = 'en') {
    renderWithProviders(<FixDialog message={m} conversation={conversation} session={session} channel={channel} onClose={vi.fn()} />, lang);
    return screen.getByRole('dialog');
  }

  it('sends the message with the chosen mistake’s category, once', async () => {
    const server = fakeServer(({ method, path, body }) => {
      if (path.includes('/remedies')) return { body: remedies };
      if (method === 'POST' && path === '/api/v1/guard/feedback') return { status: 201, body: { id: crypto.randomUUID(), ...(body as object) } };
    });
    const d = dialog();
    expect(within(d).queryByRole('button', { name: 'Report a missed mistake' })).toBeNull();
    fireEvent.click(within(d).getByRole('radio', { name: 'The wrong tone' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Report a missed mistake' }));
    await within(d).findByText('Reported — thank you, this helps the checks learn.');
    const calls = server.calls.filter((c) => c.path === '/api/v1/guard/feedback');
    expect(calls.map((c) => c.body)).toEqual([{ verdict: 'missed', kind: 'tone', text: m.text }]);
    expect(within(d).queryByRole('button', { name: 'Report a missed mistake' })).toBeNull();
    // Another mistake chosen: it can be reported too.
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Report a missed mistake' }));
    await waitFor(() => expect(server.calls.filter((c) => c.path === '/api/v1/guard/feedback')).toHaveLength(2));
    expect(server.calls.filter((c) => c.path === '/api/v1/guard/feedback')[1]!.body).toMatchObject({ kind: 'spelling' });
  });

  it('is not offered for a mistake the check did flag (the hint would say it missed it)', async () => {
    fakeServer(({ path }) => (path.includes('/remedies') ? { body: remedies } : undefined));
    const caught = message({
      text: 'Had you read the terms, you would know.',
      guard: {
        verdict: 'warn',
        findings: [{ kind: 'tone.condescending', category: 'tone', severity: 'warn', start: 0, end: 39, message: 'Condescending wording.', action: 'warn' }],
        acknowledged: ['tone.condescending'],
      },
    });
    renderWithProviders(<FixDialog message={caught} conversation={conversation} session={session} channel={channel} onClose={vi.fn()} />, 'en');
    const d = screen.getByRole('dialog');
    fireEvent.click(within(d).getByRole('radio', { name: 'The wrong tone' }));
    await within(d).findByText('Say sorry.');
    expect(within(d).queryByRole('button', { name: 'Report a missed mistake' })).toBeNull();
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    expect(await within(d).findByRole('button', { name: 'Report a missed mistake' })).toBeTruthy();
  });

  it('is not offered for mistakes the guard does not check, and speaks French', async () => {
    fakeServer(({ path }) => (path.includes('/remedies') ? { body: remedies } : undefined));
    const d = dialog('fr');
    fireEvent.click(within(d).getByRole('radio', { name: 'Autre chose' }));
    await within(d).findByText('Excusez-vous.');
    expect(within(d).queryByRole('button', { name: 'Signaler une erreur non détectée' })).toBeNull();
    fireEvent.click(within(d).getByRole('radio', { name: 'Un ton inapproprié' }));
    expect(await within(d).findByRole('button', { name: 'Signaler une erreur non détectée' })).toBeTruthy();
  });
});
