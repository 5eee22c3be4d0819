import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { MAX_LABEL_LENGTH, MAX_LABELS } from '../../src/contracts/inbox-limits.ts';
import { ApiError } from './api.ts';
import { formatTime, useI18n } from './i18n.tsx';
import { type InboxKey, useInboxText } from './inbox-i18n.ts';
import { conversationAction, useLabels, useUsers } from './queries.ts';
import type { Conversation, ConversationStatus, Session, User } from './types.ts';
import './inbox.css';

const STATUSES: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved'];
const SNOOZES = ['1h', '4h', 'tomorrow', 'week'] as const;
type Snooze = (typeof SNOOZES)[number];

/** When a snooze choice ends, from now (the reader's local "tomorrow 9:00"). */
export function snoozeEnd(choice: Snooze, now: Date): Date {
  if (choice === '1h') return new Date(now.getTime() + 3_600_000);
  if (choice === '4h') return new Date(now.getTime() + 4 * 3_600_000);
  if (choice === 'week') return new Date(now.getTime() + 7 * 86_400_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return tomorrow;
}

/** Whether a person may be given conversations: active, and not an auditor (they read only). */
const assignable = (u: User) => (u as User & { active?: boolean }).active !== false && u.role !== 'auditor';

/**
 * The thread's workflow bar: status (with snooze), who handles the conversation, its labels.
 * Auditors see it read-only. Refusals from the server are shown beside it.
 */
export function ThreadWorkflow({ session, conversation }: { session: Session; conversation: Conversation }) {
  const { t, lang } = useInboxText();
  const app = useI18n();
  const client = useQueryClient();
  const users = useUsers();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [snoozing, setSnoozing] = useState(false);
  const snoozeSelect = useRef<HTMLSelectElement>(null);
  const statusSelect = useRef<HTMLSelectElement>(null);
  const me = session.user;
  const readOnly = me.role === 'auditor';
  const isAgent = me.role === 'agent';

  async function run(action: 'status' | 'assign' | 'labels', body: unknown): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await conversationAction(client, conversation.id, action, body);
      return true;
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'network_error' ? e.message : app.t('networkError'));
      return false;
    } finally {
      setBusy(false);
    }
  }

  function onStatus(next: ConversationStatus) {
    if (next === 'snoozed') {
      setSnoozing(true);
      requestAnimationFrame(() => snoozeSelect.current?.focus());
      return;
    }
    void run('status', { status: next });
  }

  async function applySnooze(event: FormEvent) {
    event.preventDefault();
    const choice = (snoozeSelect.current?.value ?? '1h') as Snooze;
    if (await run('status', { status: 'snoozed', snoozeUntil: snoozeEnd(choice, new Date()).toISOString() })) {
      setSnoozing(false);
      statusSelect.current?.focus();
    }
  }

  const people = (users.data ?? []).filter((u) => assignable(u) || u.id === conversation.assigneeId);
  const assigneeName = people.find((u) => u.id === conversation.assigneeId)?.name;

  return (
    <section className="workflow-bar" aria-label={t('workflow')}>
      <div className="field">
        <label htmlFor={`${id}-status`}>{t('statusLabel')}</label>
        <select
          id={`${id}-status`}
          ref={statusSelect}
          value={snoozing ? 'snoozed' : conversation.status}
          disabled={readOnly || busy}
          onChange={(e) => onStatus(e.target.value as ConversationStatus)}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status_${s}` as InboxKey)}
            </option>
          ))}
        </select>
        {conversation.status === 'snoozed' && conversation.snoozedUntil && !snoozing && (
          <span className="muted">{t('snoozedUntil', { time: formatTime(conversation.snoozedUntil, lang) })}</span>
        )}
      </div>
      {snoozing && (
        <form className="snooze-form" onSubmit={applySnooze}>
          <label htmlFor={`${id}-snooze`}>{t('snoozeFor')}</label>
          <select id={`${id}-snooze`} ref={snoozeSelect} defaultValue="1h">
            {SNOOZES.map((s) => (
              <option key={s} value={s}>
                {t(`snooze_${s}` as InboxKey)}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary" disabled={busy}>
            {t('snoozeApply')}
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setSnoozing(false);
              statusSelect.current?.focus();
            }}
          >
            {t('cancel')}
          </button>
        </form>
      )}
      {!readOnly && !snoozing && (
        <button type="button" className="ghost" disabled={busy} onClick={() => onStatus(conversation.status === 'resolved' ? 'open' : 'resolved')}>
          {conversation.status === 'resolved' ? t('reopen') : t('resolve')}
        </button>
      )}
      <div className="field">
        <label htmlFor={`${id}-assignee`}>{t('assigneeLabel')}</label>
        <select
          id={`${id}-assignee`}
          value={conversation.assigneeId ?? ''}
          disabled={readOnly || busy}
          onChange={(e) => void run('assign', { userId: e.target.value || null })}
        >
          {/* An agent gives back only their own conversation and takes only unassigned ones (can() decides; this only spares a refusal). */}
          <option value="" disabled={isAgent && conversation.assigneeId !== null && conversation.assigneeId !== me.id}>
            {t('unassigned')}
          </option>
          {conversation.assigneeId && !assigneeName && <option value={conversation.assigneeId}>…</option>}
          {people.map((u) => (
            <option key={u.id} value={u.id} disabled={isAgent && u.id !== me.id && u.id !== conversation.assigneeId}>
              {u.id === me.id ? t('me', { name: u.name }) : u.name}
            </option>
          ))}
        </select>
        {!readOnly && conversation.assigneeId !== me.id && (!isAgent || conversation.assigneeId === null) && (
          <button type="button" className="ghost" disabled={busy} onClick={() => void run('assign', { userId: me.id })}>
            {t('assignToMe')}
          </button>
        )}
      </div>
      <LabelEditor conversation={conversation} readOnly={readOnly} busy={busy} onSave={(labels) => run('labels', { labels })} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** The conversation's labels as chips; "Edit labels" adds (with the workspace's labels suggested) and removes them. */
function LabelEditor({
  conversation,
  readOnly,
  busy,
  onSave,
}: {
  conversation: Conversation;
  readOnly: boolean;
  busy: boolean;
  onSave: (labels: string[]) => Promise<boolean>;
}) {
  const { t } = useInboxText();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [tooMany, setTooMany] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const known = useLabels();
  const id = useId();
  const labels = conversation.labels;

  async function add(event: FormEvent) {
    event.preventDefault();
    const label = draft.trim();
    if (!label) return;
    if (labels.length >= MAX_LABELS) {
      setTooMany(true);
      return;
    }
    if (await onSave([...labels, label])) setDraft('');
    input.current?.focus();
  }

  return (
    <div className="field">
      <span id={`${id}-labels`}>{t('labelsLabel')}</span>
      <ul className="labels" aria-labelledby={`${id}-labels`}>
        {labels.length === 0 && <li className="muted">{t('labelsNone')}</li>}
        {labels.map((label) => (
          <li key={label} className="label-chip">
            {label}
            {editing && (
              <button
                type="button"
                aria-label={t('labelRemove', { label })}
                disabled={busy}
                onClick={() => {
                  setTooMany(false);
                  void onSave(labels.filter((l) => l !== label)).then(() => input.current?.focus());
                }}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && !editing && (
        <button
          type="button"
          className="ghost"
          ref={editButton}
          onClick={() => {
            setEditing(true);
            requestAnimationFrame(() => input.current?.focus());
          }}
        >
          {t('labelsEdit')}
        </button>
      )}
      {editing && (
        <form className="label-editor" onSubmit={add}>
          <label htmlFor={`${id}-new`} className="sr-only">
            {t('labelAdd')}
          </label>
          <input
            id={`${id}-new`}
            ref={input}
            value={draft}
            maxLength={MAX_LABEL_LENGTH}
            list={`${id}-known`}
            placeholder={t('labelAdd')}
            onChange={(e) => setDraft(e.target.value)}
          />
          <datalist id={`${id}-known`}>
            {(known.data ?? [])
              .filter((l) => !labels.includes(l.label))
              .map((l) => (
                <option key={l.label} value={l.label} />
              ))}
          </datalist>
          <button type="submit" className="secondary" disabled={busy || !draft.trim()}>
            {t('labelAddButton')}
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setEditing(false);
              setTooMany(false);
              requestAnimationFrame(() => editButton.current?.focus());
            }}
          >
            {t('labelsDone')}
          </button>
          {tooMany && (
            <span className="error" role="alert">
              {t('labelsTooMany', { max: MAX_LABELS })}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
