import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError } from './api.ts';
import { segments } from './guard.ts';
import { formatTime, type MessageKey, useI18n } from './i18n.tsx';
import { messageAction, useApprovals, useContact, useUsers } from './queries.ts';
import { href } from './route.ts';
import { useToast } from './toast.tsx';
import type { Message, Session } from './types.ts';

/** The "four eyes" queue: supervisors approve or reject (with a reason) what the guard held back. */
export default function Approvals({ session }: { session: Session }) {
  const { t } = useI18n();
  const approvals = useApprovals(true);
  const users = useUsers();
  const nameOf = (id: string | null) => users.data?.find((u) => u.id === id)?.name ?? '—';
  return (
    <section className="approvals" aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t('approvalsTitle')}</h1>
      {approvals.isPending && <p className="muted">{t('loading')}</p>}
      {approvals.isError && (
        <p className="error" role="alert">
          {approvals.error.message}
        </p>
      )}
      {approvals.data?.length === 0 && <p className="empty">{t('noApprovals')}</p>}
      <ul className="approval-list">
        {approvals.data?.map((m) => (
          <ApprovalItem key={m.id} message={m} session={session} author={nameOf(m.authorUserId)} />
        ))}
      </ul>
    </section>
  );
}

function ApprovalItem({ message, session, author }: { message: Message; session: Session; author: string }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const contact = useContact(message.contactId);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const own = message.authorUserId === session.user.id;
  const findings = message.guard?.findings ?? [];

  async function decide(action: 'approve' | 'reject') {
    setBusy(true);
    setError(null);
    try {
      await messageAction(client, `messages/${message.id}/${action}`, action === 'reject' ? { reason: reason.trim() } : undefined);
      notify({ text: action === 'approve' ? t('approved') : t('rejected'), tone: 'success' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('errorGeneric'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="approval" aria-labelledby={`${id}-to`}>
      <p className="approval-head">
        <strong id={`${id}-to`}>
          <a href={href({ view: 'inbox', conversationId: message.conversationId })}>{t('to', { name: contact.data?.name ?? '…' })}</a>
        </strong>
        <span className="muted">
          {t('by', { name: author })} · <time dateTime={message.createdAt}>{formatTime(message.createdAt, lang)}</time>
        </span>
      </p>
      <p className="text approval-text">
        {segments(message.text, findings).map((s) =>
          s.finding ? (
            <mark key={s.start} className={`finding sev-${s.finding.action}`} title={s.finding.message}>
              {s.text}
            </mark>
          ) : (
            <span key={s.start}>{s.text}</span>
          ),
        )}
      </p>
      {findings.length > 0 && (
        <ul className="findings">
          {findings.map((f) => (
            <li key={`${f.kind}-${f.start}-${f.end}`} className={`finding-item sev-${f.action}`}>
              <span className="category">{t(`category_${f.category}` as MessageKey)}</span> {f.message}
            </li>
          ))}
        </ul>
      )}
      {own && <p className="note">{t('cannotApproveOwn')}</p>}
      {!rejecting ? (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || own} onClick={() => decide('approve')}>
            {t('approve')}
          </button>
          <button type="button" className="secondary" disabled={busy || own} onClick={() => setRejecting(true)}>
            {t('reject')}
          </button>
        </div>
      ) : (
        <form
          className="reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void decide('reject');
          }}
        >
          <label htmlFor={`${id}-reason`}>{t('rejectReason')}</label>
          <textarea id={`${id}-reason`} rows={2} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>
              {t('back')}
            </button>
            <button type="submit" className="danger" disabled={busy || reason.trim() === ''}>
              {t('confirmReject')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
