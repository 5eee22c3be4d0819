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

type Answer = { status?: number; body?: unknown };
function serve(onPost?: (body: unknown) => Answer, onPatch?: (path: string, body: unknown) => Answer) {
  return fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/channels' && method === 'GET') return { body: { items: [channel, cloud, evolution] } };
    if (path === '/api/v1/channels' && method === 'POST') return onPost?.(body) ?? { status: 201, body: { ...cloud, id: '00000000-0000-4000-8000-00000000000a' } };
    if (path.startsWith('/api/v1/channels/') && method === 'PATCH') return onPatch?.(path, body) ?? { body: channel };
  });
}

const connectForm = () => within(screen.getByRole('form', { name: /^(Connect a WhatsApp number|Connecter un numéro WhatsApp)$/ }));
const fill = (label: string | RegExp, value: string) => fireEvent.change(connectForm().getByLabelText(label), { target: { value } });
const fillIn = (scope: HTMLElement, label: string | RegExp, value: string) => fireEvent.change(within(scope).getByLabelText(label), { target: { value } });

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

describe('Adding a simulator and changing a channel (admins)', () => {
  const simForm = () => screen.getByRole('form', { name: 'Add a training channel (simulator)' });

  it('adds a simulator with the exact body; empty optional fields are left to the server; toast; focus back in the name', async () => {
    const server = serve(() => ({ status: 201, body: { ...channel, id: '00000000-0000-4000-8000-00000000000b', name: 'Formation' } }));
    renderWithProviders(<Channels />);
    await screen.findByText('Support FR');
    fillIn(simForm(), 'Channel name', ' Formation ');
    fillIn(simForm(), 'Default hold (seconds) (optional)', '15');
    fillIn(simForm(), /Oldest WhatsApp version/, '2.20.0');
    // The hold reads as a duration beside its field.
    expect(within(simForm()).getByText('15 s')).toBeTruthy();
    fireEvent.click(within(simForm()).getByRole('button', { name: 'Add the simulator' }));
    await screen.findByText('Channel “Formation” added.');
    const posts = server.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.body)).toEqual([{ type: 'simulator', name: 'Formation', defaultHoldSeconds: 15, simulator: { minClientVersion: '2.20.0' } }]);
    expect(document.activeElement).toBe(within(simForm()).getByLabelText('Channel name'));
    expect((within(simForm()).getByLabelText('Channel name') as HTMLInputElement).value).toBe('');
  });

  it('puts each refusal next to its field (FR) and the focus on the first one', async () => {
    serve(() => ({
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Certains champs ne sont pas valides.',
          details: { issues: [{ in: 'body', path: 'simulator.minClientVersion', code: 'invalid_format', message: 'Un numéro de version comme 2.24.1.' }] },
        },
      },
    }));
    renderWithProviders(<Channels />, 'fr');
    await screen.findByText('Support FR');
    const form = screen.getByRole('form', { name: 'Ajouter un canal de formation (simulateur)' });
    fillIn(form, 'Nom du canal', 'Formation');
    fillIn(form, /Plus ancienne version de WhatsApp/, 'récente');
    fireEvent.click(within(form).getByRole('button', { name: 'Ajouter le simulateur' }));
    const version = within(form).getByLabelText(/Plus ancienne version de WhatsApp/);
    await waitFor(() => expect(version.getAttribute('aria-invalid')).toBe('true'));
    const described = (version.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Un numéro de version comme 2.24.1.');
    expect(within(form).getByRole('alert').textContent).toBe('Certains champs sont à corriger : chacun indique pourquoi.');
    await waitFor(() => expect(document.activeElement).toBe(version));
  });

  it('edits a simulator: name, hold, windows and phones; the form opens focused and gives the focus back', async () => {
    const server = serve(undefined, () => ({ body: { ...channel, defaultHoldSeconds: 30, revokeWindowSeconds: 216_000 } }));
    renderWithProviders(<Channels />);
    await screen.findByText('Support FR');
    const open = screen.getByRole('button', { name: 'Edit Simulator' });
    fireEvent.click(open);
    const form = screen.getByRole('form', { name: 'Edit “Simulator”' });
    expect(document.activeElement).toBe(within(form).getByLabelText('Channel name'));
    expect((within(form).getByLabelText('Delete-for-everyone window (seconds)') as HTMLInputElement).value).toBe('4096');
    expect(within(form).getByText(/^1 h 8 min/)).toBeTruthy();
    fillIn(form, 'Default hold (seconds)', '30');
    fillIn(form, 'Delete-for-everyone window (seconds)', '216000');
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await screen.findByText('Channel “Simulator” saved.');
    const patches = server.calls.filter((c) => c.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.path).toBe(`/api/v1/channels/${channel.id}`);
    expect(patches[0]!.body).toEqual({
      name: 'Simulator',
      defaultHoldSeconds: 30,
      revokeWindowSeconds: 216_000,
      editWindowSeconds: 900,
      simulator: { minClientVersion: '2.17.0', offlineRevokeDeadlineSeconds: 86_400 },
    });
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit “Simulator”' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Simulator' })));
  });

  it('a Cloud API channel: windows read-only with WhatsApp’s reason, never sent; an empty hold is refused beside its field', async () => {
    const server = serve(undefined, () => ({
      status: 400,
      body: { error: { code: 'validation_failed', message: 'x', details: { issues: [{ in: 'body', path: 'defaultHoldSeconds', code: 'invalid_type', message: 'Required: a number.' }] } } },
    }));
    renderWithProviders(<Channels />);
    await screen.findByText('Support FR');
    const item = screen.getByText('Support FR').closest('li') as HTMLElement;
    // The list already says why.
    expect(within(item).getByText(/Set by WhatsApp: the Cloud API cannot delete or edit a sent message/)).toBeTruthy();
    fireEvent.click(within(item).getByRole('button', { name: 'Edit Support FR' }));
    const form = within(item).getByRole('form', { name: 'Edit “Support FR”' });
    expect(within(form).queryByRole('spinbutton', { name: /window/i })).toBeNull();
    const windows = within(form).getByRole('group', { name: 'Delete and edit windows' });
    expect(windows.textContent).toContain('Delete for everyone: No · Edit: No');
    expect(windows.textContent).toContain('The hold before sending is the only way to take a message back.');
    fillIn(form, 'Default hold (seconds)', '');
    fillIn(form, 'Messages per second', '120');
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    const hold = within(form).getByLabelText('Default hold (seconds)');
    await waitFor(() => expect(hold.getAttribute('aria-invalid')).toBe('true'));
    await waitFor(() => expect(document.activeElement).toBe(hold));
    expect(server.calls.find((c) => c.method === 'PATCH')!.body).toEqual({ name: 'Support FR', defaultHoldSeconds: null, ratePerSecond: 120 });
    // Cancel closes it and gives the focus back.
    fireEvent.click(within(form).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(within(item).getByRole('button', { name: 'Edit Support FR' })));
  });

  it('an Evolution channel (FR): windows shown as WhatsApp sets them', async () => {
    serve();
    renderWithProviders(<Channels />, 'fr');
    const item = (await screen.findByText('Gateway')).closest('li') as HTMLElement;
    fireEvent.click(within(item).getByRole('button', { name: 'Modifier Gateway' }));
    const windows = within(item).getByRole('group', { name: 'Délais de suppression et de modification' });
    expect(windows.textContent).toContain('Supprimer pour tous : 2 j 12 h · Modifier : 15 min');
    expect(windows.textContent).toContain('Errata ne peut pas les changer.');
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
