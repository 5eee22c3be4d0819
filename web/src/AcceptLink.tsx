import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, post } from './api.ts';
import { SignInCard } from './SignInCard.tsx';
import { replaceSession } from './session.ts';
import { useTeamText } from './team-i18n.ts';
import type { Session } from './types.ts';

export type LinkPage = 'invitation' | 'reset-password';

/** The page an invitation or reset link opens (`/invitation#token=…`, `/reset-password#token=…`), or null. */
export function linkPage(): LinkPage | null {
  if (location.pathname === '/invitation') return 'invitation';
  if (location.pathname === '/reset-password') return 'reset-password';
  return null;
}

/**
 * Someone follows an invitation or password-reset link: they choose a password (and, invited,
 * their name) and are signed in. The token is in the URL's fragment, never sent to a server but
 * in this request's body.
 */
export function AcceptLink({ page }: { page: LinkPage }) {
  const { t } = useTeamText();
  const client = useQueryClient();
  const id = useId();
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session =
        page === 'invitation'
          ? await post<Session>('auth/invitations/accept', { token, password, ...(name.trim() ? { name: name.trim() } : {}) })
          : await post<Session>('auth/password-reset/accept', { token, password, ...(totp.trim() ? { totp: totp.trim() } : {}) });
      history.replaceState(null, '', '/#/');
      replaceSession(client, session);
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <SignInCard title={page === 'invitation' ? t('acceptTitle') : t('resetTitle')}>
      {!token ? (
        <p className="error" role="alert">
          {t('linkMissing')}
        </p>
      ) : (
        <form onSubmit={submit} aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}>
          <p className="hint" id={`${id}-help`}>
            {t('acceptHelp')}
          </p>
          {page === 'invitation' && (
            <>
              <label htmlFor={`${id}-name`}>{t('yourName')}</label>
              <input id={`${id}-name`} name="name" autoComplete="name" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
            </>
          )}
          <label htmlFor={`${id}-password`}>{t('password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={200}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {page === 'reset-password' && (
            <>
              <label htmlFor={`${id}-totp`}>{t('totpIfOn')}</label>
              <input id={`${id}-totp`} name="totp" autoComplete="one-time-code" maxLength={20} value={totp} onChange={(e) => setTotp(e.target.value)} />
            </>
          )}
          {error && (
            <p className="error" role="alert" id={`${id}-error`}>
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('join')}
          </button>
        </form>
      )}
    </SignInCard>
  );
}
