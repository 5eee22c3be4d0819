import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.tsx';
import Channels from './Channels.tsx';
import { channel, cloudChannel, fakeServer, renderWithProviders, session } from './test/harness.tsx';
import type { Channel } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const cloud: Channel = {
  ...cloudChannel,
  name: 'Support FR',
  isDefault: false,
  defaultHoldSeconds: 10,
  provider: {
    settings: { phoneNumberId: '1055000001', wabaId: '2011000001', apiVersion: 'v23.0' },
    ratePerSecond: 80,
    webhookPath: '/webhooks/whatsapp',
    secretsStored: ['accessToken', 'appSecret', 'verifyToken'],
  },
};
const evolution: Channel = {
  ...cloudChannel,
  id: '00000000-0000-4000-8000-000000000009',
  type: 'evolution',
  name: 'Gateway',
  isDefault: false,
  capabilities: { deleteForEveryone: true, edit: true, confirmsRevoke: false },
  revokeWindowSeconds: 216_000,
  editWindowSeconds: 900,
  provider: {
    settings: { baseUrl: 'https://evo.example', instance: 'errata' },
    ratePerSecond: 20,
    webhookPath: `/webhooks/evolution/00000000-0000-4000-8000-000000000009`,
    secretsStored: ['apiKey'],
  },
};

function serve(onPost?: (body: unknown) => { status?: number; body?: unknown }) {
  return fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/channels' && method === 'GET') return { body: { items: [channel, cloud, evolution] } };
    if (path === '/api/v1/channels' && method === 'POST') return onPost?.(body) ?? { status: 201, body: { ...cloud, id: '00000000-0000-4000-8000-00000000000a' } };
  });
}

const fill = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Channels page (admins)', () => {
  it('lists each channel with its capabilities, settings, full webhook URL and stored secret names', async () => {
    serve();
    renderWithProviders(<Channels />);
    const item = (await screen.findByText('Support FR')).closest('li') as HTMLElement;
    const c = within(item);
    expect(c.getByText('WhatsApp Cloud API')).toBeTruthy();
    expect(c.getByText('1055000001')).toBeTruthy();
    expect(c.getByText('v23.0')).toBeTruthy();
    expect(c.getByText(`${window.location.origin}/webhooks/whatsapp`)).toBeTruthy();
    expect(c.getByText('Access token, App secret, Verify token')).toBeTruthy();
    expect(c.getByText('80')).toBeTruthy();
    expect(c.getByText('10 s', { exact: false })).toBeTruthy();
    const gateway = within(screen.getByText('Gateway').closest('li') as HTMLElement);
    expect(gateway.getByText(`${window.location.origin}/webhooks/evolution/00000000-0000-4000-8000-000000000009`)).toBeTruthy();
    expect(gateway.getByText('API key')).toBeTruthy();
    expect(gateway.getByText('https://evo.example')).toBeTruthy();
    // The simulator has no provider block.
    const sim = within(screen.getByText('Simulator').closest('li') as HTMLElement);
    expect(sim.queryByText('Webhook URL')).toBeNull();
  });

  it('connects a Cloud API number with the exact body; secrets are password fields', async () => {
    const server = serve();
    renderWithProviders(<Channels />);
    await screen.findByText('Support FR');
    fill('Channel name', ' Support EN ');
    fill('Phone number ID', '1055000002');
    fill('WhatsApp Business Account ID', '2011000002');
    fill('Access token', 'EAAG-secret');
    fill('App secret', 'app-secret');
    fill('Verify token', 'verify-me');
    fill('Messages per second (optional)', '40');
    for (const label of ['Access token', 'App secret', 'Verify token']) expect((screen.getByLabelText(label) as HTMLInputElement).type).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByText('Channel connected.');
    const posts = server.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      type: 'whatsapp-cloud',
      name: 'Support EN',
      ratePerSecond: 40,
      config: { phoneNumberId: '1055000002', wabaId: '2011000002', accessToken: 'EAAG-secret', appSecret: 'app-secret', verifyToken: 'verify-me' },
    });
    expect(posts[0]!.headers['x-errata-csrf']).toBe('1');
    // Secrets are not kept in the form after connecting.
    expect((screen.getByLabelText('Access token') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(server.calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/channels')).toHaveLength(2));
  });

  it('connects an Evolution gateway (FR labels) and shows a 409 in French', async () => {
    const server = serve(() => ({ status: 409, body: { error: { code: 'conflict', message: 'Ce numéro est déjà connecté à un autre canal.' } } }));
    renderWithProviders(<Channels />, 'fr');
    await screen.findByText('Support FR');
    fireEvent.click(screen.getByLabelText('Passerelle Evolution API'));
    fill('Nom du canal', 'Passerelle');
    fill('URL de la passerelle', 'https://evo.example');
    fill('Clé API', 'k-123');
    fill('Instance', 'errata');
    expect((screen.getByLabelText('Clé API') as HTMLInputElement).type).toBe('password');
    expect(screen.queryByLabelText('ID du numéro de téléphone')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Connecter' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Ce numéro est déjà connecté à un autre canal.');
    const post = server.calls.find((c) => c.method === 'POST');
    expect(post!.body).toEqual({ type: 'evolution', name: 'Passerelle', config: { baseUrl: 'https://evo.example', apiKey: 'k-123', instance: 'errata' } });
    expect(post!.headers['accept-language']).toBe('fr');
    // Lists in French too.
    expect(screen.getByText('Jeton d’accès, Clé secrète de l’app, Jeton de vérification')).toBeTruthy();
  });

  it('shows each validation issue of a 400 next to its field, and the others in the alert', async () => {
    serve(() => ({
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Some fields are not valid: each one says why.',
          details: {
            issues: [
              { in: 'body', path: 'config.apiVersion', code: 'invalid_format', message: 'A Graph API version such as v23.0.' },
              { in: 'body', path: 'config.somethingElse', code: 'unrecognized_keys', message: 'Not a field here: x.' },
            ],
          },
        },
      },
    }));
    renderWithProviders(<Channels />);
    await screen.findByText('Support FR');
    fill('Channel name', 'X');
    fill('Phone number ID', '1055000002');
    fill('WhatsApp Business Account ID', '2011000002');
    fill('Access token', 'a');
    fill('App secret', 'b');
    fill('Verify token', 'c');
    fill('Graph API version (optional)', '23');
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Some fields need correcting: each one says why.');
    expect(alert.textContent).not.toContain('v23.0');
    expect(alert.textContent).toContain('config.somethingElse: Not a field here: x.');
    const version = screen.getByLabelText('Graph API version (optional)');
    expect(version.getAttribute('aria-invalid')).toBe('true');
    const described = (version.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('A Graph API version such as v23.0.');
  });
});

describe('Navigation entry', () => {
  function app(role: 'admin' | 'supervisor' | 'agent', lang: 'en' | 'fr' = 'en') {
    vi.stubGlobal('EventSource', undefined);
    fakeServer(({ path }) => {
      if (path === '/api/v1/auth/me') return { body: { ...session, user: { ...session.user, role } } };
      if (path.startsWith('/api/v1/conversations')) return { body: { items: [], nextCursor: null } };
      if (path === '/api/v1/channels') return { body: { items: [channel, cloud] } };
      if (path === '/api/v1/approvals') return { body: { items: [] } };
    });
    renderWithProviders(<App />, lang);
  }

  it('is shown to admins and opens the page', async () => {
    app('admin', 'fr');
    const nav = await screen.findByRole('navigation', { name: 'Principal' });
    const link = within(nav).getByRole('link', { name: 'Canaux' });
    expect(link.getAttribute('href')).toBe('#/channels');
    location.hash = '#/channels';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByRole('heading', { name: 'Connecter un numéro WhatsApp' })).toBeTruthy();
  });

  for (const role of ['supervisor', 'agent'] as const) {
    it(`is hidden from a ${role}, and the route falls back to the inbox`, async () => {
      history.replaceState(null, '', '#/channels');
      app(role);
      const nav = await screen.findByRole('navigation', { name: 'Main' });
      expect(within(nav).getByRole('link', { name: 'Inbox' })).toBeTruthy();
      expect(within(nav).queryByRole('link', { name: 'Channels' })).toBeNull();
      expect(screen.queryByRole('heading', { name: 'Connect a WhatsApp number' })).toBeNull();
    });
  }
});
