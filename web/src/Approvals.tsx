import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { MAX_TEXT_LENGTH } from '../../src/contracts/limits.ts';
import { ApiError } from './api.ts';
import { findingMessage, segments } from './guard.ts';
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
  // After a decision the item leaves the list: focus moves to the next item's first action (or the
  // previous one's, or the heading when none is left), never to <body>.
  const [decided, setDecided] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = approvals.data?.map((m) => m.id) ?? [];
  const order = useRef<string[]>([]);
  useEffect(() => {
    if (!decided) {
      order.current = ids;
      return;
    }
    if (ids.includes(decided)) return;
    const at = order.current.indexOf(decided);
    const nextId = order.current.slice(at + 1).find((id) => ids.includes(id)) ?? order.current.slice(0, Math.max(0, at)).reverse().find((id) => ids.includes(id));
    const item = nextId ? list.current?.querySelector<HTMLElement>(`[data-message-id="${nextId}"]`) : null;
    const target = item?.querySelector<HTMLElement>('button:not([disabled])') ?? heading.current;
    target?.focus();
    order.current = ids;
    setDecided(null);
  });
  return (
    <section className="approvals" aria-labelledby="approvals-title">
      <h1 id="approvals-title" ref={heading} tabIndex={-1}>
        {t('approvalsTitle')}
      </h1>
      {approvals.isPending && <p className="muted">{t('loading')}</p>}
      {approvals.isError && (
        <p className="error" role="alert">
          {approvals.error.message}
        </p>
      )}
      {approvals.data?.length === 0 && <p className="empty">{t('noApprovals')}</p>}
      <ul className="approval-list" ref={list}>
        {approvals.data?.map((m) => (
          <ApprovalItem key={m.id} message={m} session={session} author={nameOf(m.authorUserId)} onDecided={() => setDecided(m.id)} />
        ))}
      </ul>
    </section>
  );
}

function ApprovalItem({ message, session, author, onDecided }: { message: Message; session: Session; author: string; onDecided: () => void }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const contact = useContact(message.contactId);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  // "Edit and approve": the reviewer's text is sent instead (a new version; the author's is kept).
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.text);
  const editButton = useRef<HTMLButtonElement>(null);
  const backToEdit = useRef(false);
  useEffect(() => {
    if (!editing && backToEdit.current) {
      backToEdit.current = false;
      editButton.current?.focus();
    }
  }, [editing]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rejectButton = useRef<HTMLButtonElement>(null);
  const backToActions = useRef(false);
  const id = useId();

  // "Back" from the reason form: focus returns to Reject (the button that opened it).
  useEffect(() => {
    if (!rejecting && backToActions.current) {
      backToActions.current = false;
      rejectButton.current?.focus();
    }
  }, [rejecting]);
  const own = message.authorUserId === session.user.id;
  const findings = message.guard?.findings ?? [];

  async function decide(action: 'approve' | 'reject', text?: string) {
    setBusy(true);
    setError(null);
    try {
      await messageAction(
        client,
        `messages/${message.id}/${action}`,
        action === 'reject' ? { reason: reason.trim() } : text !== undefined ? { text } : undefined,
      );
      onDecided();
      notify({ text: action === 'approve' ? t(text !== undefined ? 'approvedWithChanges' : 'approved') : t('rejected'), tone: 'success' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('errorGeneric'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="approval" aria-labelledby={`${id}-to`} data-message-id={message.id}>
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
            <mark key={s.start} className={`finding sev-${s.finding.action}`} title={findingMessage(s.finding, lang)}>
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
              <span className="category">{t(`category_${f.category}` as MessageKey)}</span> {findingMessage(f, lang)}
            </li>
          ))}
        </ul>
      )}
      {own && <p className="note">{t('cannotApproveOwn')}</p>}
      {editing && (
        <form
          className="reject-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) void decide('approve', draft);
          }}
        >
          <label htmlFor={`${id}-draft`}>{t('approveEditedLabel')}</label>
          <textarea
            id={`${id}-draft`}
            rows={3}
            required
            maxLength={MAX_TEXT_LENGTH}
            value={draft}
            // biome-ignore lint/a11y/noAutofocus: "Edit and approve" opens this form to edit the text
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
          />
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                backToEdit.current = true;
                setEditing(false);
                setDraft(message.text);
              }}
            >
              {t('keepAsWritten')}
            </button>
            <button type="submit" className="primary" disabled={busy || draft.trim() === '' || draft === message.text}>
              {t('confirmApproveWithChanges')}
            </button>
          </div>
        </form>
      )}
      {editing ? null : !rejecting ? (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || own} onClick={() => decide('approve')}>
            {t('approve')}
          </button>
          <button type="button" className="secondary" ref={editButton} disabled={busy || own} onClick={() => setEditing(true)}>
            {t('approveWithChanges')}
          </button>
          <button type="button" className="secondary" ref={rejectButton} disabled={busy || own} onClick={() => setRejecting(true)}>
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
          <textarea
            id={`${id}-reason`}
            rows={2}
            required
            maxLength={500}
            value={reason}
            // biome-ignore lint/a11y/noAutofocus: Reject opens this form; the reason is what the reviewer types next
            autoFocus
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                backToActions.current = true;
                setRejecting(false);
              }}
            >
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
