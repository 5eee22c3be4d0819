import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Settings from './Settings.tsx';
import { channel, fakeServer, renderWithProviders } from './test/harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const profile = { name: 'Maison Lumière', country: 'FR', phones: ['+33 1 23 45 67 89'], emails: [], ibans: [], addresses: [], staff: ['Camille'] };
const lamp = { id: '00000000-0000-4000-8000-0000000000e1', name: 'Lampe Arc', price: 1000, currency: 'EUR', archived: false };
const policy = {
  categories: { pii: 'review', price: 'review', recipient: 'review', tone: 'warn', spelling: 'warn' },
  kinds: {},
  holdExtensionSeconds: { warn: 20 },
};

function serve() {
  return fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/business-profile') return { body: method === 'PUT' ? { ...profile, ...(body as object) } : profile };
    if (path === '/api/v1/catalog' && method === 'GET') return { body: { items: [lamp] } };
    if (path === '/api/v1/catalog' && method === 'POST') return { status: 201, body: { ...lamp, id: '00000000-0000-4000-8000-0000000000e2' } };
    if (path === `/api/v1/catalog/${lamp.id}`) return { body: { ...lamp, ...(body as object) } };
    if (path === '/api/v1/guard/policy') return { body: policy };
    if (path === '/api/v1/channels' && method === 'GET') return { body: { items: [channel] } };
    if (path === `/api/v1/channels/${channel.id}`) return { body: { ...channel, defaultHoldSeconds: 30 } };
    if (path === '/api/v1/workspace/assignment') return { body: method === 'PUT' ? body : { mode: 'manual' } };
  });
}

describe('Settings (admins)', () => {
  it('saves the business profile: one entry per line', async () => {
    const { calls } = serve();
    renderWithProviders(<Settings />);
    const staff = (await screen.findByLabelText('Staff names, one per line')) as HTMLTextAreaElement;
    await waitFor(() => expect(staff.value).toBe('Camille'));
    fireEvent.change(staff, { target: { value: 'Camille\n  Sam \n\n' } });
    fireEvent.click(within(screen.getByRole('form', { name: 'Business profile' })).getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ staff: ['Camille', 'Sam'] });
  });

  it('changes a price, adds an item (FR)', async () => {
    const { calls } = serve();
    renderWithProviders(<Settings />, 'fr');
    const price = await screen.findByLabelText('Prix de Lampe Arc');
    fireEvent.change(price, { target: { value: '1200' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer Lampe Arc' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ price: 1200, archived: false }));
    const add = screen.getByRole('form', { name: 'Nouvel article' });
    fireEvent.change(within(add).getByLabelText('Article'), { target: { value: 'Applique Nova' } });
    fireEvent.change(within(add).getByLabelText('Prix'), { target: { value: '89,90' } });
    fireEvent.click(within(add).getByRole('button', { name: 'Ajouter l’article' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Applique Nova', price: 89.9, currency: 'EUR' }));
  });

  it('sets the policy per category and per kind', async () => {
    const { calls } = serve();
    renderWithProviders(<Settings />);
    const form = screen.getByRole('form', { name: 'Guard policy' });
    const price = (await within(form).findByLabelText('Action for Price')) as HTMLSelectElement;
    await waitFor(() => expect(price.value).toBe('review'));
    fireEvent.change(price, { target: { value: 'warn' } });
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'pii.iban' } });
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: 'block' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT' && c.path === '/api/v1/guard/policy')?.body).toEqual({ categories: { price: 'warn' }, kinds: { 'pii.iban': 'block' } }));
  });

  it('changes a channel’s default hold and a category’s extra hold', async () => {
    const { calls } = serve();
    renderWithProviders(<Settings />);
    const hold = await screen.findByLabelText('Default hold of Simulator (seconds)');
    fireEvent.change(hold, { target: { value: '30' } });
    fireEvent.change(screen.getByLabelText('Extra hold for a Tone warning (seconds)'), { target: { value: '45' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the hold times' }));
    await screen.findByText('Saved.');
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: `/api/v1/channels/${channel.id}`, body: { defaultHoldSeconds: 30 } });
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ holdExtensionSeconds: { tone: 45 } });
  });

  it('switches new conversations to round-robin assignment', async () => {
    const { calls } = serve();
    renderWithProviders(<Settings />);
    const manual = (await screen.findByLabelText(/^Manually/)) as HTMLInputElement;
    await waitFor(() => expect(manual.checked).toBe(true));
    const save = screen.getByRole('button', { name: 'Save the assignment rule' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/^In turn/));
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await screen.findByText('Saved.');
    expect(calls.find((c) => c.method === 'PUT' && c.path === '/api/v1/workspace/assignment')?.body).toEqual({ mode: 'round_robin' });
    await waitFor(() => expect((screen.getByLabelText(/^In turn/) as HTMLInputElement).checked).toBe(true));
  });
});
