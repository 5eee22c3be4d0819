import { cleanup, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cloudChannel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import { Thread } from './Thread.tsx';
import type { Message } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

let seq = 500;
const id = () => `00000000-0000-4000-8000-${String(seq++).padStart(12, '0')}`;
const inbound = (overrides: Partial<Message>): Message =>
  message({ id: id(), direction: 'in', authorUserId: null, status: 'received', channelId: cloudChannel.id, revocableUntil: null, editableUntil: null, sentAt: null, ...overrides });

async function render(messages: Message[], lang: 'en' | 'fr' = 'en') {
  fakeServer(({ method, path }) => {
    if (method === 'GET' && path.startsWith(`/api/v1/conversations/${conversation.id}/messages`)) return { body: { items: messages.slice().reverse(), nextCursor: null } };
  });
  renderWithProviders(<Thread session={session} conversation={conversation} channel={cloudChannel} panelOpen={false} onTogglePanel={undefined} />, lang);
  await waitFor(() => expect(document.querySelectorAll('.bubble')).toHaveLength(messages.length));
  return (m: Message) => within(document.querySelector<HTMLElement>(`[data-message-id="${m.id}"]`)!);
}

describe('Thread: every kind of message', () => {
  const reply = inbound({ contentType: 'interactive_reply', text: 'Oui, je confirme', content: { type: 'interactive_reply', replyKind: 'quick_reply', title: 'Oui, je confirme', payload: 'CONFIRM_42' } });
  const image = inbound({ contentType: 'image', text: 'La facture', content: { type: 'image', mimeType: 'image/png', caption: 'La facture', stored: { sha256: 'a', size: 10 } }, mediaUrl: '/api/v1/messages/x/media' });
  const doc = inbound({ contentType: 'document', text: 'devis.pdf', content: { type: 'document', mediaId: 'M2', filename: 'devis.pdf' } });
  const voice = inbound({ contentType: 'audio', text: '', content: { type: 'audio', mediaId: 'M3', voice: true } });
  const place = inbound({ contentType: 'location', text: 'Boutique', content: { type: 'location', latitude: 48.8566, longitude: 2.3522, name: 'Boutique', address: '1 rue de Rivoli' } });
  const card = inbound({ contentType: 'contacts', text: 'Marc Petit', content: { type: 'contacts', contacts: [{ name: 'Marc Petit', phones: [{ phone: '+33 6 12 34 56 78' }], emails: [] }] } });
  const order = inbound({ contentType: 'order', text: '', content: { type: 'order', items: [{ productId: 'SKU-1', quantity: 2, price: 12.5, currency: 'EUR' }] } });
  const system = inbound({ contentType: 'system', text: 'Léa changed from +33 6 11 to +33 6 22', content: { type: 'system', systemKind: 'number_changed', body: 'Léa changed' } });
  const ours = message({ id: id(), channelId: cloudChannel.id, text: 'Votre colis part demain', customerReaction: { emoji: '👍', at: new Date().toISOString() } });
  const fromApp = message({ id: id(), channelId: cloudChannel.id, authorUserId: null, origin: 'app', status: 'sent', text: 'Envoyé du téléphone', revocableUntil: null, editableUntil: null });
  const big = inbound({ contentType: 'too_large', text: '', content: { type: 'too_large', size: 30 * 1_048_576, limit: 25 * 1_048_576 } });

  it('shows replies, media, places, cards, orders, system lines, reactions and app messages (English)', async () => {
    const bubble = await render([reply, image, doc, voice, place, card, order, system, ours, fromApp, big]);
    expect(bubble(reply).getByText('Reply: Oui, je confirme')).toBeTruthy();
    expect(bubble(reply).getByText('Button data: CONFIRM_42')).toBeTruthy();
    // A stored image is shown inline, its caption as alt text, opening in full size.
    const img = bubble(image).getByRole('img', { name: 'Image: La facture' });
    expect(img.getAttribute('src')).toBe('/api/v1/messages/x/media');
    expect(bubble(image).getByRole('link', { name: 'Image: La facture' }).getAttribute('href')).toBe('/api/v1/messages/x/media');
    expect(bubble(image).getByText('La facture')).toBeTruthy();
    expect(bubble(doc).getByText(/devis\.pdf/)).toBeTruthy();
    expect(bubble(doc).getByText(/kept by WhatsApp/)).toBeTruthy();
    expect(bubble(voice).getByText('Voice message')).toBeTruthy();
    const map = bubble(place).getByRole('link', { name: 'Open the map' });
    expect(map.getAttribute('href')).toContain('mlat=48.8566&mlon=2.3522');
    expect(map.getAttribute('rel')).toContain('noopener');
    expect(bubble(card).getByRole('list', { name: 'Contact card' })).toBeTruthy();
    expect(bubble(card).getByText('+33 6 12 34 56 78')).toBeTruthy();
    expect(bubble(order).getByText('Order · 2 items')).toBeTruthy();
    expect(bubble(order).getByText(/2 × SKU-1 · 12.5 EUR/)).toBeTruthy();
    expect(document.querySelector(`[data-message-id="${system.id}"]`)!.className).toContain('system');
    expect(bubble(system).getByText(/Léa changed from/)).toBeTruthy();
    expect(bubble(ours).getByRole('img', { name: 'Customer reacted 👍' })).toBeTruthy();
    expect(bubble(fromApp).getByText('Sent from the app')).toBeTruthy();
    // Sent from the phone app: changed there, not through Errata.
    expect(bubble(fromApp).queryByRole('button', { name: 'Fix this message' })).toBeNull();
    expect(bubble(ours).getByRole('button', { name: 'Fix this message' })).toBeTruthy();
    expect(bubble(big).getByText(/too large to receive \(30\.0 MB, limit 25\.0 MB\)/)).toBeTruthy();
  });

  it('speaks French', async () => {
    const bubble = await render([reply, voice, place, ours, fromApp], 'fr');
    expect(bubble(reply).getByText('Réponse : Oui, je confirme')).toBeTruthy();
    expect(bubble(voice).getByText('Message vocal')).toBeTruthy();
    expect(bubble(place).getByRole('link', { name: 'Ouvrir la carte' })).toBeTruthy();
    expect(bubble(ours).getByRole('img', { name: 'Réaction du client : 👍' })).toBeTruthy();
    expect(bubble(fromApp).getByText('Envoyé depuis l’application')).toBeTruthy();
  });
});
