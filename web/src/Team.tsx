import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { z } from 'zod';
import type { inviteUserAnswer, passwordResetAnswer, teamListSchema, TeamUser, workspaceSecuritySchema } from '../../src/contracts/team-schemas.ts';
import { ApiError, get, patch, post, request } from './api.ts';
import type { MessageKey } from './i18n.tsx';
import { type TeamKey, useTeamText } from './team-i18n.ts';
import { useToast } from './toast.tsx';
import type { Session } from './types.ts';

const ROLES = ['admin', 'supervisor', 'agent', 'auditor'] as const;
type Role = (typeof ROLES)[number];

/** A one-time link to hand over, shown once with a copy button. */
type MailStatus = 'sent' | 'failed' | 'not_configured';
const mailNote: Record<MailStatus, TeamKey> = { sent: 'mailSent', failed: 'mailFailed', not_configured: 'mailNotConfigured' };

function OneTimeLink({ text, url, mail, to }: { text: string; url: string; mail: MailStatus; to: string }) {
  const { t } = useTeamText();
  const { notify } = useToast();
  return (
    <div className="one-time-link" role="status">
      <p>{text}</p>
      <p className={mail === 'failed' ? 'error' : 'muted'}>{t(mailNote[mail], { email: to })}</p>
      <code>{url}</code>{' '}
      <button type="button" className="ghost" onClick={() => void navigator.clipboard?.writeText(url).then(() => notify({ text: t('copied'), tone: 'success' }))}>
        {t('copy')}
      </button>
    </div>
  );
}

/** Admins: people of the workspace, invitations, roles, deactivation, reset links, the two-factor requirement. */
export default function Team({ session }: { session: Session }) {
  const { t, lang } = useTeamText();
  const client = useQueryClient();
  const { notify } = useToast();
  const id = useId();
  const team = useQuery({ queryKey: ['team'], queryFn: ({ signal }) => get<z.infer<typeof teamListSchema>>('users', signal) });
  const security = useQuery({ queryKey: ['team', 'security'], queryFn: ({ signal }) => get<z.infer<typeof workspaceSecuritySchema>>('workspace/security', signal) });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [link, setLink] = useState<{ text: string; url: string; mail: MailStatus; to: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const date = (iso: string) => new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  async function run<T>(work: () => Promise<T>, after?: (value: T) => void) {
    setError(null);
    try {
      const value = await work();
      after?.(value);
      return true;
    } catch (e) {
      const message = e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError');
      setError(message);
      notify({ text: message, tone: 'error' });
      return false;
    } finally {
      void client.invalidateQueries({ queryKey: ['team'] });
    }
  }

  async function invite(event: FormEvent) {
    event.preventDefault();
    const ok = await run(
      () => post<z.infer<typeof inviteUserAnswer>>('users', { email: email.trim(), name: name.trim(), role }),
      (answer) =>
        setLink({
          text: t('invitedLink', { email: answer.user.email, until: date(answer.expiresAt) }),
          url: answer.invitationUrl,
          mail: answer.mail,
          to: answer.user.email,
        }),
    );
    if (ok) {
      setEmail('');
      setName('');
    }
  }

  const change = (user: TeamUser, body: Partial<{ role: Role; active: boolean }>) =>
    run(() => patch(`users/${user.id}`, body), () => notify({ text: t('saved'), tone: 'success' }));
  const reset = (user: TeamUser) =>
    run(
      () => post<z.infer<typeof passwordResetAnswer>>(`users/${user.id}/password-reset`),
      (answer) =>
        setLink({ text: t('resetLink', { name: user.name, until: date(answer.expiresAt) }), url: answer.resetUrl, mail: answer.mail, to: user.email }),
    );

  return (
    <section className="approvals team" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('teamTitle')}</h1>
      {link && <OneTimeLink {...link} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="invite" onSubmit={invite} aria-labelledby={`${id}-invite`}>
        <h2 id={`${id}-invite`}>{t('inviteTitle')}</h2>
        <label htmlFor={`${id}-email`}>{t('email')}</label>
        <input id={`${id}-email`} type="email" required maxLength={200} value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor={`${id}-name`}>{t('name')}</label>
        <input id={`${id}-name`} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={`${id}-role`}>{t('role')}</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role_${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          {t('invite')}
        </button>
      </form>
      {security.data && (
        <label className="check">
          <input
            type="checkbox"
            checked={security.data.requireTwoFactor}
            onChange={(e) => void run(() => request('PUT', 'workspace/security', { body: { requireTwoFactor: e.target.checked } }))}
          />{' '}
          {t('requireTwoFactor')}
        </label>
      )}
      {team.isPending && <p className="muted">{t('loading')}</p>}
      <ul className="approval-list team-list">
        {team.data?.items.map((user) => {
          const self = user.id === session.user.id;
          return (
            <li key={user.id} className="approval">
              <p>
                <strong>{user.name}</strong> {self && <span className="muted">({t('you')})</span>} · {user.email} ·{' '}
                <span className={`status status-${user.status}`}>{t(`status_${user.status}` as TeamKey)}</span>
                {user.twoFactor && <> · {t('twoFactorOn')}</>}
                {user.invitationExpiresAt && user.status === 'invited' && <> · {date(user.invitationExpiresAt)}</>}
              </p>
              <div className="actions">
                <label className="sr-only" htmlFor={`${id}-${user.id}-role`}>
                  {t('role')}
                </label>
                <select
                  id={`${id}-${user.id}-role`}
                  value={user.role}
                  disabled={self}
                  onChange={(e) => void change(user, { role: e.target.value as Role })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role_${r}` as MessageKey)}
                    </option>
                  ))}
                </select>
                {!self && (
                  <button type="button" className="ghost" onClick={() => void change(user, { active: !user.active })}>
                    {user.active ? t('deactivate') : t('reactivate')}
                  </button>
                )}
                {user.active && (
                  <button type="button" className="ghost" onClick={() => void reset(user)}>
                    {t('resetPassword')}
                  </button>
                )}
                {user.twoFactor && !self && (
                  <button type="button" className="ghost" onClick={() => void run(() => request('DELETE', `users/${user.id}/totp`))}>
                    {t('turnOffTwoFactor')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
