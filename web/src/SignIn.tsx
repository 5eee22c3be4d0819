import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from './api.ts';
import { useI18n } from './i18n.tsx';
import { SignInCard } from './SignInCard.tsx';
import { replaceSession, signIn } from './session.ts';

export function SignIn() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Asked for once the server says two-factor sign-in is on for this account.
  const [totp, setTotp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(email.trim(), password, totp?.trim() || undefined);
      replaceSession(client, session);
    } catch (e) {
      const apiError = e instanceof ApiError ? e : null;
      if (apiError?.code === 'totp_required') {
        // The first time, just ask for the code; after a wrong one, say so.
        if (totp === null) setTotp('');
        setError(totp === null ? null : apiError.message);
        return;
      }
      setError(
        apiError?.status === 401 ? t('badCredentials') : apiError?.code === 'network_error' ? t('networkError') : apiError?.message || t('errorGeneric'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <SignInCard title={t('signInTitle')}>
      <form onSubmit={submit} aria-describedby={error ? `${id}-error` : undefined}>
        <label htmlFor={`${id}-email`}>{t('email')}</label>
        <input
          id={`${id}-email`}
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>{t('password')}</label>
        <input
          id={`${id}-password`}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {totp !== null && (
          <>
            <label htmlFor={`${id}-totp`}>{t('totpCode')}</label>
            <input
              id={`${id}-totp`}
              name="totp"
              autoComplete="one-time-code"
              required
              maxLength={20}
              // biome-ignore lint/a11y/noAutofocus: the field appears after submitting; it is where the person types next
              autoFocus
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          </>
        )}
        {error && (
          <p className="error" role="alert" id={`${id}-error`}>
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </SignInCard>
  );
}
