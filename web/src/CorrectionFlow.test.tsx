import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearDraft, fillKnown, knownPrice } from './correction-fill.ts';
import FixDialog from './FixDialog.tsx';
import { channel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import { Thread } from './Thread.tsx';
import type { Finding, Message } from './types.ts';

beforeEach(() => {
  sessionStorage.clear();
  clearDraft(wrongPrice.id);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const priceFinding: Finding = {
  kind: 'price.mismatch',
  category: 'price',
  severity: 'warn',
  start: 27,
  end: 32,
  message: 'The catalogue price of the Lampe Arc is 1 000 €',
  suggestion: '1 000 €',
  action: 'warn',
};
const wrongPrice = message({ text: 'Bonjour, la Lampe Arc est à 100 €.', guard: { verdict: 'warn', findings: [priceFinding], acknowledged: ['price.mismatch'] } });
const remedies = {
  messageId: wrongPrice.id,
  mistake: 'wrong_price',
  remedies: [{ remedy: 'correct', rank: 1, reason: { en: 'Correct it.', fr: 'Corrigez.' }, secondsLeft: null }],
};

function serve() {
  return fakeServer(({ path }) => {
    if (path.includes('/remedies')) return { body: remedies };
    if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
  });
}

const open = (m: Message, lang: 'en' | 'fr' = 'en') =>
  renderWithProviders(<FixDialog message={m} conversation={conversation} session={session} channel={channel} onClose={() => {}} />, lang);

describe('what Errata knows goes into the correction', () => {
  it('knownPrice: the price the guard matched; none when the findings disagree', () => {
    expect(knownPrice(wrongPrice)).toBe('1 000 €');
    expect(knownPrice(message())).toBeUndefined();
    const two = message({ guard: { verdict: 'warn', findings: [priceFinding, { ...priceFinding, suggestion: '80 €' }], acknowledged: [] } });
    expect(knownPrice(two)).toBeUndefined();
    expect(fillKnown('Le prix correct est [prix correct].', { price: '1 000 €' })).toBe('Le prix correct est 1 000 €.');
    expect(fillKnown('The correct price is [correct price].', {})).toBe('The correct price is [correct price].');
  });

  it('a wrong price: the draft gives the catalogue price and the customer’s name, no placeholder for either', async () => {
    serve();
    open(wrongPrice);
    const d = screen.getByRole('dialog');
    fireEvent.click(within(d).getByRole('radio', { name: 'A wrong price' }));
    fireEvent.click(await within(d).findByRole('button', { name: /Send a correction message/ }));
    fireEvent.click(within(d).getByRole('button', { name: 'Write the correction' }));
    const box = (await within(d).findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    expect(box.value).toContain('Hello James,');
    expect(box.value).toContain('The correct price is 1 000 €.');
    expect(box.value).not.toContain('[correct price]');
  });
});

describe('the draft survives closing the dialog', () => {
  it('reopens on the correction as the agent left it, and is forgotten once sent', async () => {
    const { calls } = fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return { body: remedies };
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
      if (method === 'POST' && path === '/api/v1/messages') return { status: 202, body: message({ id: '00000000-0000-4000-8000-0000000000f1', status: 'held', holdUntil: new Date(Date.now() + 10_000).toISOString() }) };
    });
    open(wrongPrice, 'fr');
    let d = screen.getByRole('dialog');
    fireEvent.click(within(d).getByRole('radio', { name: 'Un prix erroné' }));
    fireEvent.click(await within(d).findByRole('button', { name: /Envoyer un message de correction/ }));
    fireEvent.click(within(d).getByRole('button', { name: 'Rédiger le correctif' }));
    const typed = 'Bonjour James, pardon : la Lampe Arc est à 1 000 €, offert : la livraison.';
    fireEvent.change(await within(d).findByRole('textbox', { name: 'Message à James Carter' }), { target: { value: typed } });
    cleanup();

    open(wrongPrice, 'fr');
    d = screen.getByRole('dialog');
    const box = (await within(d).findByRole('textbox', { name: 'Message à James Carter' })) as HTMLTextAreaElement;
    expect(box.value).toBe(typed);
    const send = within(d).getByRole('button', { name: 'Envoyer le correctif' }) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    fireEvent.click(send);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/messages')).toBe(true));
    // Quoting the wrong message is the default: a WhatsApp reply.
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/messages')?.body).toMatchObject({ text: typed, replyToMessageId: wrongPrice.id });
    cleanup();

    serve();
    open(wrongPrice, 'fr');
    expect(screen.getByRole('radio', { name: 'Un prix erroné' })).toBeTruthy();
  });
});

describe('a message deleted for everyone has its own Fix entry', () => {
  const deleted = (outcome: 'applied' | 'ignored') =>
    message({
      ...wrongPrice,
      status: 'read',
      deletion: {
        scope: 'everyone',
        reason: 'wrong_price',
        note: null,
        at: new Date().toISOString(),
        by: session.user.id,
        outcomes: [{ deviceId: 'd1', deviceLabel: 'Tablet', outcome, resolvedAt: null }],
      },
    });

  it('the thread offers “Write a correction” on the tombstone', async () => {
    const m = deleted('applied');
    fakeServer(({ path }) => {
      if (path.startsWith(`/api/v1/conversations/${conversation.id}/messages`)) return { body: { items: [m], nextCursor: null } };
    });
    renderWithProviders(<Thread session={session} conversation={conversation} channel={channel} panelOpen={false} onTogglePanel={undefined} />);
    const bubble = await waitFor(() => {
      const el = document.querySelector<HTMLElement>(`[data-message-id="${m.id}"]`);
      if (!el) throw new Error('no bubble');
      return el;
    });
    expect(within(bubble).getByRole('button', { name: 'Write a correction' })).toBeTruthy();
    expect(within(bubble).queryByRole('button', { name: 'Fix this message' })).toBeNull();
  });

  it('opens straight on the correction, honest about a device that kept the original', async () => {
    serve();
    open(deleted('ignored'));
    const box = (await screen.findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    expect(box.value).toContain('The correct price is 1 000 €.');
    expect(box.value).toContain('if you still see it on one of your devices');
    expect(box.value).not.toContain('which is why you see');
    cleanup();
    serve();
    open(deleted('applied'));
    const applied = (await screen.findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    expect(applied.value).toContain('which is why you see “This message was deleted”');
  });
});

describe('a correction quotes the wrong message', () => {
  it('unticked, the correction is sent without the quote', async () => {
    const { calls } = fakeServer(({ method, path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
      if (method === 'POST' && path === '/api/v1/messages') return { status: 202, body: message({ id: '00000000-0000-4000-8000-0000000000f2', status: 'held', holdUntil: new Date(Date.now() + 10_000).toISOString() }) };
    });
    const m = message({ ...wrongPrice, deletion: { scope: 'everyone', reason: 'wrong_price', note: null, at: new Date().toISOString(), by: null, outcomes: [{ deviceId: 'd1', deviceLabel: 'Phone', outcome: 'applied', resolvedAt: null }] } });
    open(m);
    const tick = (await screen.findByRole('checkbox', { name: 'Quote the wrong message (sent as a WhatsApp reply)' })) as HTMLInputElement;
    expect(tick.checked).toBe(true);
    fireEvent.click(tick);
    const box = screen.getByRole('textbox', { name: 'Message to James Carter' });
    fireEvent.change(box, { target: { value: 'Hello James, sorry: the Lampe Arc is 1 000 €. Delivery is on us.' } });
    const send = screen.getByRole('button', { name: 'Send the correction' }) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    fireEvent.click(send);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/messages')).toBe(true));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/messages')?.body).not.toHaveProperty('replyToMessageId');
  });

  it('the thread shows what a reply quotes, marked when it was deleted for everyone (FR)', async () => {
    const wrong = message({ ...wrongPrice, deletion: { scope: 'everyone', reason: 'wrong_price', note: null, at: new Date().toISOString(), by: null, outcomes: [] } });
    const reply = message({ id: '00000000-0000-4000-8000-0000000000f3', text: 'Pardon : 1 000 €.', replyToMessageId: wrong.id });
    fakeServer(({ path }) => {
      if (path.startsWith(`/api/v1/conversations/${conversation.id}/messages`)) return { body: { items: [reply, wrong], nextCursor: null } };
    });
    renderWithProviders(<Thread session={session} conversation={conversation} channel={channel} panelOpen={false} onTogglePanel={undefined} />, 'fr');
    const quote = await waitFor(() => {
      const el = document.querySelector<HTMLElement>(`[data-message-id="${reply.id}"] .reply-quote`);
      if (!el) throw new Error('no quote');
      return el;
    });
    expect(quote.textContent).toBe('En réponse à : Bonjour, la Lampe Arc est à 100 €. · supprimé pour tous');
  });
});
