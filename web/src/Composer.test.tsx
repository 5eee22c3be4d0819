import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer.tsx';
import { channel, cloudChannel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import type { Finding } from './types.ts';

const iban = 'FR14 2004 1010 0505 0001 3M02 606';
const ibanText = `Pay to ${iban} please`;
const ibanFinding: Finding = {
  kind: 'pii.iban',
  category: 'pii',
  severity: 'block',
  start: 7,
  end: 7 + iban.length,
  message: 'A valid IBAN',
  action: 'block',
};
const typoFinding: Finding = {
  kind: 'spelling.misspelled',
  category: 'spelling',
  severity: 'info',
  start: 11,
  end: 16,
  message: 'Possible misspelling',
  suggestion: 'arrive',
  action: 'warn',
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function composer() {
  renderWithProviders(<Composer session={session} conversation={conversation} channel={channel} />);
  return screen.getByRole('textbox', { name: 'Message to James Carter' }) as HTMLTextAreaElement;
}

describe('Composer', () => {
  it('checks the draft once the agent stops typing, highlights the span and blocks sending', async () => {
    const server = fakeServer(({ path, body }) => {
      if (path === '/api/v1/guard/check') {
        const text = (body as { text: string }).text;
        return { body: text.includes('FR14') ? { verdict: 'block', findings: [ibanFinding], holdSeconds: 0 } : { verdict: 'pass', findings: [], holdSeconds: 10 } };
      }
    });
    const box = composer();
    for (const prefix of ['P', 'Pa', 'Pay', ibanText]) fireEvent.change(box, { target: { value: prefix } });
    await screen.findByText('Blocked — cannot be sent');
    // Debounced: the burst of keystrokes produced one request, for the final text.
    const checks = server.calls.filter((c) => c.path === '/api/v1/guard/check');
    expect(checks).toHaveLength(1);
    expect(checks[0]!.body).toEqual({ text: ibanText, contactId: conversation.contact.id, channelId: channel.id });
    expect(checks[0]!.headers['x-errata-csrf']).toBe('1');
    expect(checks[0]!.headers['accept-language']).toBe('en');
    const mark = document.querySelector('mark[data-kind="pii.iban"]');
    expect(mark?.textContent).toBe(iban);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('A valid IBAN', { exact: false })).toBeTruthy();
  });

  // The 150 ms bar itself is measured by `npm run bench:web` in a real browser; this checks the
  // mechanism: the new text's answer does not wait for the slow, stale one, which is never shown.
  it('feedback for the latest text does not wait for a stale answer, which is aborted and never shown', async () => {
    let n = 0;
    const server = fakeServer(({ path, body }) => {
      if (path !== '/api/v1/guard/check') return;
      n += 1;
      const text = (body as { text: string }).text;
      // The first request is slow: it must be aborted, never shown.
      return { delayMs: n === 1 ? 400 : 5, body: { verdict: text === 'old' ? 'block' : 'pass', findings: [], holdSeconds: 10 } };
    });
    const box = composer();
    fireEvent.change(box, { target: { value: 'old' } });
    await waitFor(() => expect(server.calls).toHaveLength(1));
    const started = performance.now();
    fireEvent.change(box, { target: { value: 'new text' } });
    await screen.findByText('Looks good');
    expect(performance.now() - started).toBeLessThan(400);
    expect(server.calls[0]!.signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 450));
    expect(screen.queryByText('Blocked — cannot be sent')).toBeNull();
  });

  it('requires warnings to be acknowledged, sends the acknowledged kinds, offers undo while held', async () => {
    const text = 'Your order arive tomorrow';
    const server = fakeServer(({ method, path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'warn', findings: [typoFinding], holdSeconds: 40 } };
      if (method === 'POST' && path === '/api/v1/messages')
        return { status: 202, body: message({ status: 'held', text, holdUntil: new Date(Date.now() + 10_000).toISOString() }) };
    });
    const box = composer();
    fireEvent.change(box, { target: { value: text } });
    const ack = await screen.findByRole('checkbox', { name: /I have read this/ });
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect(screen.getByText(/Fix each warning, or tick it/)).toBeTruthy();
    fireEvent.click(ack);
    expect(send.disabled).toBe(false);
    // Ctrl+Enter sends.
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    });
    const post = await waitFor(() => {
      const found = server.calls.find((c) => c.method === 'POST' && c.path === '/api/v1/messages');
      expect(found).toBeTruthy();
      return found!;
    });
    expect(post.body).toMatchObject({ contactId: conversation.contact.id, text, acknowledge: ['spelling.misspelled'] });
    expect(post.headers['x-errata-csrf']).toBe('1');
    await screen.findByText(/Held for \d+ s — you can still undo it/);
    expect(box.value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(server.calls.some((c) => c.path === `/api/v1/messages/${message().id}/cancel`)).toBe(true));
  });

  it('applies a suggestion in place', async () => {
    fakeServer(({ path, body }) => {
      if (path !== '/api/v1/guard/check') return;
      const text = (body as { text: string }).text;
      return { body: text.includes('arive') ? { verdict: 'warn', findings: [typoFinding], holdSeconds: 40 } : { verdict: 'pass', findings: [], holdSeconds: 10 } };
    });
    const box = composer();
    fireEvent.change(box, { target: { value: 'Your order arive tomorrow' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Replace with “arrive”' }));
    expect(box.value).toBe('Your order arrive tomorrow');
    await screen.findByText('Looks good');
  });

  it('shows the server’s refusal when the send is blocked', async () => {
    fakeServer(({ method, path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
      if (method === 'POST' && path === '/api/v1/messages')
        return {
          status: 422,
          body: { error: { code: 'guard_blocked', message: 'This message was not sent.', details: { findings: [ibanFinding] } } },
        };
    });
    const box = composer();
    fireEvent.change(box, { target: { value: ibanText } });
    await screen.findByText('Looks good');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toContain('This message was not sent.');
  });

  it('outside the 24-hour window, shows the server’s refusal and sends an approved template instead', async () => {
    const refusal = 'More than 24 hours since the customer last wrote: WhatsApp only lets an approved template through now. Send a template instead.';
    const server = fakeServer(({ method, path, body }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
      if (method === 'POST' && path === '/api/v1/messages') {
        if ((body as { text?: string }).text !== undefined)
          return { status: 422, body: { error: { code: 'outside_service_window', message: refusal, details: { suggestion: 'template' } } } };
        return {
          status: 202,
          body: message({
            status: 'held',
            contentType: 'template',
            text: '[order_ready · en]: James · A-1042',
            template: { name: 'order_ready', language: 'en', parameters: ['James', 'A-1042'] },
            holdUntil: new Date(Date.now() + 10_000).toISOString(),
          }),
        };
      }
    });
    renderWithProviders(<Composer session={session} conversation={{ ...conversation, channelId: cloudChannel.id }} channel={cloudChannel} />);
    const box = screen.getByRole('textbox', { name: 'Message to James Carter' });
    fireEvent.change(box, { target: { value: 'Your order is ready' } });
    await screen.findByText('Looks good');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe(refusal);

    fireEvent.click(screen.getByRole('button', { name: 'Send a template instead' }));
    const form = screen.getByRole('form', { name: 'Send an approved template' });
    const name = within(form).getByLabelText('Template name');
    expect(document.activeElement).toBe(name);
    // The contact's language is the default language code.
    expect((within(form).getByLabelText('Language code') as HTMLInputElement).value).toBe('en');
    const submit = within(form).getByRole('button', { name: 'Send the template' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(name, { target: { value: 'Order Ready' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(name, { target: { value: 'order_ready' } });
    fireEvent.change(within(form).getByLabelText('Values, one per line'), { target: { value: 'James\n\n A-1042 \n' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);

    await screen.findByText(/Held for \d+ s — you can still undo it/);
    const posts = server.calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/messages');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body).toMatchObject({
      contactId: conversation.contact.id,
      channelId: cloudChannel.id,
      template: { name: 'order_ready', language: 'en', parameters: ['James', 'A-1042'] },
    });
    expect(posts[1]!.body).not.toHaveProperty('text');
    expect(posts[1]!.headers['x-errata-csrf']).toBe('1');
    expect(screen.queryByRole('form', { name: 'Send an approved template' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers the template in French', async () => {
    fakeServer(({ method, path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
      if (method === 'POST' && path === '/api/v1/messages')
        return { status: 422, body: { error: { code: 'outside_service_window', message: 'Plus de 24 heures depuis le dernier message du client.' } } };
    });
    renderWithProviders(<Composer session={session} conversation={conversation} channel={cloudChannel} />, 'fr');
    fireEvent.change(screen.getByRole('textbox', { name: 'Message à James Carter' }), { target: { value: 'Bonjour' } });
    await screen.findByText('Rien à signaler');
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Plus de 24 heures');
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer un modèle à la place' }));
    const form = screen.getByRole('form', { name: 'Envoyer un modèle approuvé' });
    expect(within(form).getByLabelText('Nom du modèle')).toBeTruthy();
    expect(within(form).getByLabelText('Code de langue')).toBeTruthy();
    expect(within(form).getByLabelText('Valeurs, une par ligne')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Envoyer le modèle' })).toBeTruthy();
  });
});
