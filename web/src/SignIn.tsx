import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from './api.ts';
import { useI18n } from './i18n.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { replaceSession, signIn } from './session.ts';

export function SignIn() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(email.trim(), password);
      replaceSession(client, session);
    } catch (e) {
      const apiError = e instanceof ApiError ? e : null;
      setError(
        apiError?.status === 401 ? t('badCredentials') : apiError?.code === 'network_error' ? t('networkError') : apiError?.message || t('errorGeneric'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="signin-top">
          <p className="brand" aria-hidden="true">
            Errata
          </p>
          <LanguageSwitch />
        </div>
        <h1>{t('signInTitle')}</h1>
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
          {error && (
            <p className="error" role="alert" id={`${id}-error`}>
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
        </form>
      </div>
    </main>
  );
}
