import { cleanup, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTime } from './i18n.tsx';
import { channel, cloudChannel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import { Thread } from './Thread.tsx';
import type { Channel, Message } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const inMinutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
let seq = 100;
const id = () => `00000000-0000-4000-8000-${String(seq++).padStart(12, '0')}`;

/** An inbound message from the customer on a real channel. */
function inbound(overrides: Partial<Message>): Message {
  return message({
    id: id(),
    direction: 'in',
    authorUserId: null,
    status: 'received',
    channelId: cloudChannel.id,
    revocableUntil: null,
    editableUntil: null,
    sentAt: null,
    ...overrides,
  });
}

/** Renders the thread with these messages (oldest first) and returns each bubble by message id. */
async function thread(messages: Message[], options: { lang?: 'en' | 'fr'; channel?: Channel } = {}) {
  fakeServer(({ method, path }) => {
    if (method === 'GET' && path.startsWith(`/api/v1/conversations/${conversation.id}/messages`))
      return { body: { items: messages.slice().reverse(), nextCursor: null } };
  });
  renderWithProviders(
    <Thread session={session} conversation={conversation} channel={options.channel ?? cloudChannel} panelOpen={false} onTogglePanel={undefined} />,
    options.lang,
  );
  await waitFor(() => expect(document.querySelectorAll('.bubble')).toHaveLength(messages.length));
  return (m: Message) => {
    const el = document.querySelector<HTMLElement>(`[data-message-id="${m.id}"]`);
    if (!el) throw new Error(`no bubble for ${m.id}`);
    return el;
  };
}

describe('Thread on a real WhatsApp channel', () => {
  it('shows a message the customer deleted as a tombstone, its original kept for the team', async () => {
    const deleted = inbound({
      text: 'My card is 4970 1012 3456 7890',
      versions: [{ version: 1, text: 'My card is 4970 1012 3456 7890', createdAt: minutesAgo(5), createdBy: null }],
      deletedByCustomerAt: minutesAgo(1),
    });
    const bubble = await thread([deleted]);
    const b = within(bubble(deleted));
    expect(b.getByText('This message was deleted')).toBeTruthy();
    expect(b.getByText(/Deleted by the customer/)).toBeTruthy();
    const summary = b.getByText('Original text (kept for the record; the customer no longer sees it)');
    const details = summary.closest('details')!;
    expect(details.open).toBe(false);
    expect(within(details).getByText('My card is 4970 1012 3456 7890')).toBeTruthy();
    // The text is not shown as if the customer still had it: only inside the disclosure.
    expect(b.getAllByText('My card is 4970 1012 3456 7890')).toHaveLength(1);
  });

  it('shows the same tombstone in French', async () => {
    const deleted = inbound({ text: 'Bonjour', versions: [{ version: 1, text: 'Bonjour', createdAt: minutesAgo(5), createdBy: null }], deletedByCustomerAt: minutesAgo(1) });
    const bubble = await thread([deleted], { lang: 'fr' });
    const b = within(bubble(deleted));
    expect(b.getByText('Ce message a été supprimé')).toBeTruthy();
    expect(b.getByText(/Supprimé par le client/)).toBeTruthy();
    expect(b.getByText('Texte d’origine (conservé dans l’historique ; le client ne le voit plus)')).toBeTruthy();
  });

  it('shows a customer’s edit as “Edited” with every version', async () => {
    const edited = inbound({
      text: 'Delivery to 12 rue Victor Hugo please',
      version: 2,
      edited: true,
      editedAt: minutesAgo(1),
      versions: [
        { version: 2, text: 'Delivery to 12 rue Victor Hugo please', createdAt: minutesAgo(1), createdBy: null },
        { version: 1, text: 'Delivery to 21 rue Victor Hugo please', createdAt: minutesAgo(4), createdBy: null },
      ],
    });
    const bubble = await thread([edited]);
    const b = within(bubble(edited));
    expect(b.getByText('Edited')).toBeTruthy();
    const details = b.getByText('All versions (2)').closest('details')!;
    const items = within(details).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Version 1');
    expect(items[0]!.textContent).toContain('21 rue Victor Hugo');
    expect(items[1]!.textContent).toContain('Version 2');
    expect(items[1]!.textContent).toContain('12 rue Victor Hugo');
  });

  it('shows a placeholder with the provider’s reason for content that did not come through', async () => {
    const failed = inbound({
      text: '',
      contentType: 'unsupported',
      providerErrors: [{ code: '131051', title: 'Unsupported message type', details: 'Message type is currently not supported.' }],
    });
    const notShown = inbound({
      text: '',
      contentType: 'unsupported',
      providerErrors: [{ code: 'type_not_shown', title: 'message type "image" is not shown by Errata' }],
    });
    const bubble = await thread([failed, notShown]);
    const a = within(bubble(failed));
    expect(a.getByText('Content WhatsApp could not deliver')).toBeTruthy();
    expect(a.getByText('WhatsApp’s reason: Unsupported message type — Message type is currently not supported. (131051)')).toBeTruthy();
    const b = within(bubble(notShown));
    expect(b.getByText('Content not shown here')).toBeTruthy();
    expect(b.getByText('Errata cannot show this kind of message yet (image).')).toBeTruthy();
  });

  it('shows the placeholder in French', async () => {
    const failed = inbound({ text: '', contentType: 'unsupported', providerErrors: [{ code: '131051', title: 'Unsupported message type' }] });
    const bubble = await thread([failed], { lang: 'fr' });
    const a = within(bubble(failed));
    expect(a.getByText('Contenu non pris en charge par WhatsApp')).toBeTruthy();
    expect(a.getByText('Motif donné par WhatsApp : Unsupported message type (131051)')).toBeTruthy();
  });

  it('shows a template’s name, language and values', async () => {
    const template = message({
      id: id(),
      channelId: cloudChannel.id,
      status: 'sent',
      contentType: 'template',
      text: '[order_ready · fr]: Claire · A-1042',
      template: { name: 'order_ready', language: 'fr', parameters: ['Claire', 'A-1042'] },
    });
    const bubble = await thread([template]);
    const b = within(bubble(template));
    expect(b.getByText('Template order_ready · fr')).toBeTruthy();
    const values = b.getByRole('list', { name: 'Values' });
    expect(within(values).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Claire', 'A-1042']);
    // The server's one-line summary is not repeated under the structured view.
    expect(b.queryByText('[order_ready · fr]: Claire · A-1042')).toBeNull();
  });

  it('explains a failed send with the neutral provider sentence, and keeps the detail of other codes', async () => {
    const window = message({
      id: id(),
      channelId: cloudChannel.id,
      status: 'failed',
      failedAt: minutesAgo(1),
      failure: { code: 'outside_service_window', detail: '131047 — Re-engagement message' },
      delivery: { attempts: 1, nextAttemptAt: null, lastError: 'outside_service_window', providerMessageId: null },
    });
    const other = message({ id: id(), status: 'failed', failure: { code: 'simulator_error', detail: 'The simulated device refused it' } });
    const bubble = await thread([window, other]);
    const a = within(bubble(window));
    expect(a.getByText(/Failed: More than 24 hours since the customer last wrote: only an approved template can be sent now\./)).toBeTruthy();
    expect(a.getByText('WhatsApp’s answer: 131047 — Re-engagement message')).toBeTruthy();
    expect(within(bubble(other)).getByText(/Failed: The simulated device refused it/)).toBeTruthy();
  });

  it('explains a failed send in French', async () => {
    const failed = message({ id: id(), channelId: cloudChannel.id, status: 'failed', failure: { code: 'recipient_unreachable', detail: null } });
    const bubble = await thread([failed], { lang: 'fr' });
    expect(within(bubble(failed)).getByText(/Échec : Ce numéro ne peut pas recevoir de messages WhatsApp\./)).toBeTruthy();
  });

  it('shows when a queued message will be retried and how many attempts it took', async () => {
    const next = inMinutes(3);
    const queued = message({
      id: id(),
      channelId: cloudChannel.id,
      status: 'queued',
      sentAt: null,
      queuedAt: minutesAgo(1),
      delivery: { attempts: 2, nextAttemptAt: next, lastError: 'rate_limited', providerMessageId: null },
    });
    let bubble = await thread([queued]);
    let b = within(bubble(queued));
    expect(b.getByText(`Not sent yet — retrying at ${formatTime(next, 'en')}`)).toBeTruthy();
    expect(b.getByText('2 attempts so far — WhatsApp asked us to slow down; the message will be retried shortly.')).toBeTruthy();
    cleanup();
    bubble = await thread([queued], { lang: 'fr' });
    b = within(bubble(queued));
    expect(b.getByText(`Pas encore envoyé — nouvel essai à ${formatTime(next, 'fr')}`)).toBeTruthy();
    expect(b.getByText(/^2 tentatives jusqu’ici/)).toBeTruthy();
  });

  it('says when WhatsApp refused an edit or a deletion, and that the customer still sees the message', async () => {
    const evolution: Channel = { ...cloudChannel, type: 'evolution', capabilities: { deleteForEveryone: true, edit: true, confirmsRevoke: false } };
    const editRefused = message({
      id: id(),
      channelId: evolution.id,
      edited: true,
      providerErrors: [{ action: 'edit', code: 'invalid_request', providerCode: '400', providerMessage: 'Message too old to edit', at: minutesAgo(1) }],
    });
    const revokeRefused = message({
      id: id(),
      channelId: evolution.id,
      deletion: { scope: 'everyone', reason: 'typo', note: null, at: minutesAgo(2), by: session.user.id, outcomes: [{ deviceId: null, deviceLabel: null, outcome: 'unknown', resolvedAt: null }] },
      providerErrors: [{ action: 'revoke', code: 'rejected', at: minutesAgo(1) }],
    });
    let bubble = await thread([editRefused, revokeRefused], { channel: evolution });
    expect(within(bubble(editRefused)).getByRole('note').textContent).toBe(
      'WhatsApp refused the edit: Message too old to edit (400) The customer still sees the previous text.',
    );
    const r = within(bubble(revokeRefused));
    expect(r.getByText('WhatsApp refused the deletion: WhatsApp did not accept the message. The customer still sees the message.')).toBeTruthy();
    // A channel that confirms nothing: the outcome stays unknown, and says why.
    expect(bubble(revokeRefused).querySelector('.outcome.unknown')?.textContent).toBe('All the customer’s devices: unknown — this channel confirms nothing');
    cleanup();
    bubble = await thread([editRefused, revokeRefused], { channel: evolution, lang: 'fr' });
    expect(within(bubble(editRefused)).getByText(/^WhatsApp a refusé la modification : Message too old to edit \(400\)/)).toBeTruthy();
    expect(within(bubble(revokeRefused)).getByText(/^WhatsApp a refusé la suppression : WhatsApp n’a pas accepté le message\./)).toBeTruthy();
    expect(bubble(revokeRefused).querySelector('.outcome.unknown')?.textContent).toBe('Tous les appareils du client : inconnu — ce canal ne confirme rien');
  });

  it('keeps simulator messages as they were', async () => {
    const plain = message({ id: id() });
    const bubble = await thread([plain], { channel });
    const b = within(bubble(plain));
    expect(b.getByText('Your code is 4512')).toBeTruthy();
    expect(b.queryByRole('note')).toBeNull();
    expect(b.queryByText(/All versions/)).toBeNull();
  });
});
