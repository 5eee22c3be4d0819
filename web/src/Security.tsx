import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useId, useState } from 'react';
import type { z } from 'zod';
import type { createdTokenSchema, tokenListSchema, totpSetupAnswer, totpStatusSchema } from '../../src/contracts/team-schemas.ts';
import { ApiError, get, post, request } from './api.ts';
import type { MessageKey } from './i18n.tsx';
import { sessionKey } from './session.ts';
import { type TeamKey, useTeamText } from './team-i18n.ts';
import { useToast } from './toast.tsx';

type Status = z.infer<typeof totpStatusSchema>;

// The QR code's library is loaded only when someone sets up two-factor sign-in.
const TotpQr = lazy(() => import('./TotpQr.tsx'));

function useRun() {
  const { t } = useTeamText();
  const { notify } = useToast();
  return async <T,>(work: () => Promise<T>, success?: string): Promise<T | null> => {
    try {
      const value = await work();
      if (success) notify({ text: success, tone: 'success' });
      return value;
    } catch (e) {
      notify({ text: e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError'), tone: 'error' });
      return null;
    }
  };
}

/** One's own password, two-factor sign-in and API tokens. */
export default function Security() {
  const { t } = useTeamText();
  const id = useId();
  return (
    <section className="approvals security" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('securityTitle')}</h1>
      <PasswordSection />
      <TwoFactorSection />
      <TokensSection />
    </section>
  );
}

function PasswordSection() {
  const { t } = useTeamText();
  const run = useRun();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if ((await run(() => post('auth/password', { current, next }), t('passwordChanged'))) !== null) {
      setCurrent('');
      setNext('');
    }
  }
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('passwordTitle')}</h2>
      <label htmlFor={`${id}-current`}>{t('currentPassword')}</label>
      <input id={`${id}-current`} type="password" autoComplete="current-password" required maxLength={200} value={current} onChange={(e) => setCurrent(e.target.value)} />
      <label htmlFor={`${id}-next`}>{t('newPassword')}</label>
      <input id={`${id}-next`} type="password" autoComplete="new-password" required minLength={10} maxLength={200} value={next} onChange={(e) => setNext(e.target.value)} />
      <button type="submit" className="primary">
        {t('changePassword')}
      </button>
    </form>
  );
}

function TwoFactorSection() {
  const { t } = useTeamText();
  const run = useRun();
  const client = useQueryClient();
  const id = useId();
  const status = useQuery({ queryKey: ['security', 'totp'], queryFn: ({ signal }) => get<Status>('auth/totp', signal) });
  const [setup, setSetup] = useState<z.infer<typeof totpSetupAnswer> | null>(null);
  const [code, setCode] = useState('');
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['security'] });
    void client.invalidateQueries({ queryKey: sessionKey });
  };
  async function enable(event: FormEvent) {
    event.preventDefault();
    if ((await run(() => post<Status>('auth/totp/enable', { code: code.trim() }), t('twoFactorEnabled'))) !== null) {
      setSetup(null);
      setCode('');
      refresh();
    }
  }
  async function disable(event: FormEvent) {
    event.preventDefault();
    if ((await run(() => post<Status>('auth/totp/disable', { code: code.trim() }))) !== null) {
      setCode('');
      refresh();
    }
  }
  const s = status.data;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('twoFactorTitle')}</h2>
      {s && <p>{s.enabled ? t('twoFactorIsOn', { left: s.recoveryCodesLeft }) : t('twoFactorIsOff')}</p>}
      {s?.required && !s.enabled && (
        <p className="error" role="alert">
          {t('twoFactorRequired')}
        </p>
      )}
      {!setup && (
        <button type="button" className={s?.enabled ? 'ghost' : 'primary'} onClick={async () => setSetup(await run(() => post<z.infer<typeof totpSetupAnswer>>('auth/totp/setup')))}>
          {s?.enabled ? t('setUpAgain') : t('setUp')}
        </button>
      )}
      {setup && (
        <form onSubmit={enable}>
          <p className="hint">{t('setupHelp')}</p>
          <Suspense fallback={<p className="muted">{t('qrDrawing')}</p>}>
            <TotpQr url={setup.otpauthUrl} label={t('qrLabel')} />
          </Suspense>
          <p>
            <a href={setup.otpauthUrl}>{t('openInApp')}</a>
          </p>
          <p>
            {t('secretKey')} : <code>{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
          <p className="hint">{t('recoveryHelp')}</p>
          <ul className="recovery-codes">
            {setup.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <label htmlFor={`${id}-code`}>{t('code')}</label>
          <input id={`${id}-code`} autoComplete="one-time-code" inputMode="numeric" required maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" className="primary">
            {t('confirm')}
          </button>
        </form>
      )}
      {s?.enabled && !setup && (
        <form onSubmit={disable}>
          <label htmlFor={`${id}-off`}>{t('codeOrRecovery')}</label>
          <input id={`${id}-off`} autoComplete="one-time-code" required maxLength={20} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" className="ghost">
            {t('turnOff')}
          </button>
        </form>
      )}
    </section>
  );
}

function TokensSection() {
  const { t, lang } = useTeamText();
  const run = useRun();
  const client = useQueryClient();
  const id = useId();
  const tokens = useQuery({ queryKey: ['security', 'tokens'], queryFn: ({ signal }) => get<z.infer<typeof tokenListSchema>>('tokens?scope=mine', signal) });
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const date = (iso: string) => new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  async function create(event: FormEvent) {
    event.preventDefault();
    const answer = await run(() =>
      post<z.infer<typeof createdTokenSchema>>('tokens', { name: name.trim(), ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}) }),
    );
    if (answer) {
      setCreated(answer.token);
      setName('');
      setExpires('');
    }
    void client.invalidateQueries({ queryKey: ['security', 'tokens'] });
  }
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('tokensTitle')}</h2>
      <p className="hint">{t('tokensHelp')}</p>
      {created && (
        <div className="one-time-link" role="status">
          <p>{t('newToken')}</p>
          <code>{created}</code>
        </div>
      )}
      <form onSubmit={create}>
        <label htmlFor={`${id}-name`}>{t('tokenName')}</label>
        <input id={`${id}-name`} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={`${id}-expires`}>{t('expires')}</label>
        <input id={`${id}-expires`} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        <button type="submit" className="primary">
          {t('createToken')}
        </button>
      </form>
      {tokens.data?.items.length === 0 && <p className="muted">{t('noTokens')}</p>}
      <ul className="approval-list">
        {tokens.data?.items.map((token) => (
          <li key={token.id} className="approval">
            <p>
              <strong>{token.name}</strong> · {t(`role_${token.role}` as MessageKey)} · {t(`state_${token.state}` as TeamKey)} ·{' '}
              {token.lastUsedAt ? t('lastUsed', { at: date(token.lastUsedAt) }) : t('neverUsed')}
              {token.expiresAt && <> · {date(token.expiresAt)}</>}
            </p>
            {token.state === 'live' && (
              <button
                type="button"
                className="ghost"
                onClick={async () => {
                  await run(() => request('DELETE', `tokens/${token.id}`));
                  void client.invalidateQueries({ queryKey: ['security', 'tokens'] });
                }}
              >
                {t('revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
