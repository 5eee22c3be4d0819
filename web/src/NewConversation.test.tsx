import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import NewConversation, { contactMatches } from './NewConversation.tsx';
import { channel, cloudChannel, conversation, fakeServer, renderWithProviders } from './test/harness.tsx';
import type { Contact } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const claire: Contact = {
  id: '00000000-0000-4000-8000-0000000000c1',
  name: 'Claire Dubois',
  phone: '+33612345678',
  identities: [{ kind: 'phone', value: '+33612345678', retired: false }],
  language: 'fr',
  createdAt: '2026-03-01T10:00:00.000Z',
};
const james: Contact = { ...claire, id: conversation.contact.id, name: 'James Carter', phone: '+447911123456', identities: [{ kind: 'phone', value: '+447911123456', retired: false }], language: 'en' };

function serve(options: { channels?: unknown[]; onContact?: (body: unknown) => { status?: number; body?: unknown } } = {}) {
  return fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/channels') return { body: { items: options.channels ?? [channel] } };
    if (path === '/api/v1/contacts' && method === 'GET') return { body: { items: [claire, james] } };
    if (path === '/api/v1/contacts' && method === 'POST') return options.onContact?.(body) ?? { status: 201, body: { ...claire, id: '00000000-0000-4000-8000-0000000000c2', name: 'Léa Martin' } };
    if (path === '/api/v1/conversations' && method === 'POST') return { status: 201, body: { ...conversation, id: '00000000-0000-4000-8000-0000000000d1', lastMessageAt: null, lastMessageText: null } };
  });
}

describe('contactMatches', () => {
  it('matches names without case or accents, and numbers by their digits', () => {
    expect(contactMatches(claire, 'claire')).toBe(true);
    expect(contactMatches({ ...claire, name: 'Hélène' }, 'helene')).toBe(true);
    expect(contactMatches(claire, '06 12 34')).toBe(false); // national prefix: digits "061234" are not in +33612345678
    expect(contactMatches(claire, '12 34 56')).toBe(true);
    expect(contactMatches(claire, 'james')).toBe(false);
  });
});

describe('New conversation dialog', () => {
  it('finds a contact and opens the conversation on the default channel (EN)', async () => {
    const { calls } = serve();
    const onClose = vi.fn();
    renderWithProviders(<NewConversation onClose={onClose} />);
    expect(screen.getByRole('heading', { name: 'New conversation' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Find a contact'), { target: { value: 'dubois' } });
    const pick = await screen.findByRole('button', { name: 'Write to Claire Dubois' });
    expect(screen.queryByRole('button', { name: 'Write to James Carter' })).toBeNull();
    fireEvent.click(pick);
    await waitFor(() => expect(location.hash).toBe('#/c/00000000-0000-4000-8000-0000000000d1'));
    const open = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/conversations');
    expect(open?.body).toEqual({ contactId: claire.id, channelId: channel.id });
    expect(onClose).toHaveBeenCalled();
  });

  it('adds a contact then opens its conversation on the chosen channel (FR)', async () => {
    const { calls } = serve({ channels: [channel, { ...cloudChannel, isDefault: false }] });
    renderWithProviders(<NewConversation onClose={() => {}} />, 'fr');
    await screen.findByRole('button', { name: 'Écrire à Claire Dubois' });
    fireEvent.change(screen.getByLabelText('Canal'), { target: { value: cloudChannel.id } });
    fireEvent.change(screen.getByLabelText('Nom'), { target: { value: 'Léa Martin' } });
    fireEvent.change(screen.getByLabelText('Numéro de téléphone'), { target: { value: '06 98 76 54 32' } });
    fireEvent.change(screen.getByLabelText('Langue du client'), { target: { value: 'fr' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter et écrire' }));
    await waitFor(() => expect(location.hash).toBe('#/c/00000000-0000-4000-8000-0000000000d1'));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/contacts')?.body).toEqual({ name: 'Léa Martin', phone: '06 98 76 54 32', language: 'fr' });
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/conversations')?.body).toEqual({
      contactId: '00000000-0000-4000-8000-0000000000c2',
      channelId: cloudChannel.id,
    });
  });

  it('shows the server’s refusal next to the phone field, in the UI language', async () => {
    serve({
      onContact: () => ({ status: 400, body: { error: { code: 'validation_failed', message: 'Ce numéro de téléphone n’est pas valide.', details: { field: 'phone' } } } }),
    });
    renderWithProviders(<NewConversation onClose={() => {}} />, 'fr');
    fireEvent.change(screen.getByLabelText('Nom'), { target: { value: 'Léa' } });
    fireEvent.change(screen.getByLabelText('Numéro de téléphone'), { target: { value: '123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter et écrire' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Ce numéro de téléphone n’est pas valide.');
    const input = screen.getByLabelText('Numéro de téléphone');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(alert.id);
    expect(location.hash).toBe('');
  });
});
