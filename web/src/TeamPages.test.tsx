import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AcceptLink } from './AcceptLink.tsx';
import Security from './Security.tsx';
import { SignIn } from './SignIn.tsx';
import Team from './Team.tsx';
import { fakeServer, renderWithProviders, session } from './test/harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, '', '/');
});

const person = (overrides: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  email: 'nina@example.fr',
  name: 'Nina New',
  role: 'agent',
  active: true,
  status: 'active',
  twoFactor: false,
  createdAt: '2026-03-02T10:00:00.000Z',
  deactivatedAt: null,
  invitationExpiresAt: null,
  ...overrides,
});

describe('Sign-in with two-factor', () => {
  it('asks for the code when the server says so, then sends it with the password', async () => {
    const server = fakeServer(({ body }) =>
      (body as { totp?: string }).totp === '123456'
        ? { body: session }
        : { status: 401, body: { error: { code: 'totp_required', message: 'Enter the 6-digit code.' } } },
    );
    renderWithProviders(<SignIn />);
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ada@example.fr' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'violet kettle harbour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const code = await screen.findByLabelText('Code from your authenticator app (or a recovery code)');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(server.calls).toHaveLength(2));
    expect(server.calls[1]!.body).toEqual({ email: 'ada@example.fr', password: 'violet kettle harbour', totp: '123456' });
  });
});

describe('Invitation link', () => {
  it('sends the token from the fragment with the chosen password and name (French)', async () => {
    history.replaceState(null, '', '/invitation#token=eri_abcdefghijklmnop');
    const server = fakeServer(() => ({ body: { ...session, permissions: [], twoFactor: { enabled: false, required: false } } }));
    renderWithProviders(<AcceptLink page="invitation" />, 'fr');
    expect(screen.getByRole('heading', { name: 'Rejoindre Errata' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Votre nom'), { target: { value: 'Nina' } });
    fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'violet kettle harbour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    await waitFor(() => expect(server.calls).toHaveLength(1));
    expect(server.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/invitations/accept',
      body: { token: 'eri_abcdefghijklmnop', password: 'violet kettle harbour', name: 'Nina' },
    });
    await waitFor(() => expect(location.pathname).toBe('/'));
  });

  it('shows the server’s refusal (a used or expired link)', async () => {
    history.replaceState(null, '', '/invitation#token=eri_abcdefghijklmnop');
    fakeServer(() => ({ status: 400, body: { error: { code: 'link_invalid', message: 'This link is not valid.' } } }));
    renderWithProviders(<AcceptLink page="invitation" />);
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'violet kettle harbour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This link is not valid.');
  });
});

describe('Team page', () => {
  it('lists people with their status, invites someone and shows the one-time link', async () => {
    const server = fakeServer(({ method, path }) => {
      if (path === '/api/v1/users' && method === 'GET') return { body: { items: [person(), person({ name: 'Ivy Invited', status: 'invited', invitationExpiresAt: '2026-03-09T10:00:00.000Z' })] } };
      if (path === '/api/v1/workspace/security') return { body: { requireTwoFactor: false } };
      if (path === '/api/v1/users' && method === 'POST') {
        return {
          status: 201,
          body: { user: person({ email: 'new@example.fr', status: 'invited' }), invitationUrl: 'http://x/invitation#token=eri_x', expiresAt: '2026-03-09T10:00:00.000Z', mail: 'failed' },
        };
      }
    });
    renderWithProviders(<Team session={session} />);
    expect(await screen.findByText('Ivy Invited')).toBeTruthy();
    expect(screen.getByText('invited')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'new@example.fr' } });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'New Person' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText('http://x/invitation#token=eri_x')).toBeTruthy();
    // The server could not send the e-mail: the page says so, never that it went out.
    expect(screen.getByText('The e-mail to new@example.fr could not be sent: hand the link over yourself.')).toBeTruthy();
    expect(screen.queryByText(/also e-mailed/)).toBeNull();
    expect(server.calls.find((c) => c.method === 'POST')!.body).toEqual({ email: 'new@example.fr', name: 'New Person', role: 'agent' });
  });
});

describe('Security page', () => {
  it('sets two-factor up: shows the authenticator link, key and recovery codes, then turns it on with a code', async () => {
    const server = fakeServer(({ method, path }) => {
      if (path === '/api/v1/auth/totp') return { body: { enabled: false, required: false, recoveryCodesLeft: 0 } };
      if (path.startsWith('/api/v1/tokens')) return { body: { items: [] } };
      if (path === '/api/v1/auth/totp/setup' && method === 'POST') {
        return { body: { otpauthUrl: 'otpauth://totp/Errata:ada?secret=ABCDEFGH', secret: 'ABCDEFGHIJKLMNOP', recoveryCodes: ['aaaa-bbbb-cccc'] } };
      }
      if (path === '/api/v1/auth/totp/enable') return { body: { enabled: true, required: false, recoveryCodesLeft: 1 } };
    });
    renderWithProviders(<Security />);
    fireEvent.click(await screen.findByRole('button', { name: 'Set up' }));
    expect((await screen.findByRole('link', { name: 'Open in the authenticator app' })).getAttribute('href')).toBe('otpauth://totp/Errata:ada?secret=ABCDEFGH');
    expect(screen.getByText('ABCD EFGH IJKL MNOP')).toBeTruthy();
    expect(screen.getByText('aaaa-bbbb-cccc')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('6-digit code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    await screen.findByText('Two-factor sign-in is on.');
    expect(server.calls.find((c) => c.path === '/api/v1/auth/totp/enable')!.body).toEqual({ code: '123456' });
  });
});
