import { useQueryClient } from '@tanstack/react-query';
import { Fragment, lazy, Suspense, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ApiError, post } from './api.ts';
import { secondsUntil, useNow } from './clock.ts';
import { DaySeparator, messageTime, startsDay } from './DaySeparator.tsx';
import { honestyText } from './honesty-i18n.ts';
import { formatDuration, formatTime, type Translate, useI18n } from './i18n.tsx';
import { deletionReach, editReach } from './outcomes.ts';
import { contentReasons, describeProviderError, providerSentence, refusals } from './provider.ts';
import { isRich, Reaction, RichContent, SystemLine } from './MessageKinds.tsx';
import { messageAction, useMessages, useUsers } from './queries.ts';
import { ReplyQuote } from './ReplyQuote.tsx';
import { href } from './route.ts';
import { useToast } from './toast.tsx';
import type { Channel, Conversation, Message, Session } from './types.ts';
import { useUndo } from './undo.ts';
import { NoteItem, ThreadComposer } from './Notes.tsx';
import { ThreadWorkflow } from './ThreadWorkflow.tsx';

const FixDialog = lazy(() => import('./FixDialog.tsx'));

interface ThreadProps {
  session: Session;
  conversation: Conversation;
  channel: Channel | undefined;
  panelOpen: boolean;
  onTogglePanel: (() => void) | undefined;
}

export function Thread({ session, conversation, channel, panelOpen, onTogglePanel }: ThreadProps) {
  const { t } = useI18n();
  const [showHidden, setShowHidden] = useState(false);
  const messages = useMessages(conversation.id, showHidden);
  const [fixing, setFixing] = useState<Message | null>(null);
  const list = useMemo(() => (messages.data?.pages.flatMap((p) => p.items) ?? []).slice().reverse(), [messages.data]);
  const scroller = useRef<HTMLOListElement>(null);
  const newest = list[list.length - 1]?.id;
  const client = useQueryClient();

  // Opening a conversation with unread customer messages marks it read for the team.
  useEffect(() => {
    if (conversation.unreadCount === 0) return;
    post(`conversations/${conversation.id}/read`)
      .then(() => client.invalidateQueries({ queryKey: ['conversations'] }))
      .catch(() => undefined);
  }, [client, conversation.id, conversation.unreadCount]);

  // Keep the newest message in view when one arrives.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && newest) el.scrollTop = el.scrollHeight;
  }, [newest]);

  return (
    <section className="thread" aria-labelledby="thread-title">
      <header className="thread-head">
        <a className="back" href={href({ view: 'inbox', conversationId: null })} aria-label={t('back')}>
          ←
        </a>
        <div className="who">
          <h1 id="thread-title">{conversation.contact.name}</h1>
          <span className="muted">
            {conversation.contact.phone ?? conversation.contact.handle}
            {channel ? ` · ${channel.name}` : ''}
          </span>
        </div>
        <div className="thread-tools">
          <label className="toggle">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} />
            {t('showHidden')}
          </label>
          {onTogglePanel && (
            <button type="button" className="ghost" aria-expanded={panelOpen} onClick={onTogglePanel}>
              {panelOpen ? t('customerPhoneHide') : t('customerPhoneShow')}
            </button>
          )}
        </div>
      </header>
      <ThreadWorkflow session={session} conversation={conversation} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the thread scrolls on its own, so a keyboard must reach it (axe scrollable-region-focusable) */}
      <ol className="messages" ref={scroller} aria-label={t('thread', { name: conversation.contact.name })} tabIndex={0}>
        {messages.hasNextPage && (
          <li className="older">
            <button type="button" className="ghost" onClick={() => messages.fetchNextPage()}>
              {t('olderMessages')}
            </button>
          </li>
        )}
        {messages.isPending && <li className="muted pad">{t('loading')}</li>}
        {list.map((m, i) => (
          <Fragment key={m.id}>
            {startsDay(list[i - 1], m) && <DaySeparator at={messageTime(m)} />}
            {m.kind === 'note' ? <NoteItem note={m} /> : m.contentType === 'system' ? <SystemLine key={m.id} message={m} /> : <MessageBubble
              key={m.id}
              message={m}
              onFix={() => setFixing(m)}
              canWithdraw={m.authorUserId === session.user.id || session.user.role === 'admin'}
            />}
          </Fragment>
        ))}
      </ol>
      {/* Opening a conversation puts focus in its composer (not on touch screens: no keyboard popping up). */}
      <ThreadComposer session={session} conversation={conversation} channel={channel} autoFocus={!coarsePointer()} />
      {fixing && (
        <Suspense fallback={null}>
          <FixDialog
            message={list.find((m): m is Message & { kind: 'message' } => m.kind === 'message' && m.id === fixing.id) ?? fixing}
            conversation={conversation}
            session={session}
            channel={channel}
            onClose={() => setFixing(null)}
          />
        </Suspense>
      )}
    </section>
  );
}

const coarsePointer = () => typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

// A rejected message can be edited and resubmitted (issue 11).
const FIXABLE = new Set(['held', 'awaiting_approval', 'rejected', 'queued', 'sent', 'delivered', 'read', 'failed']);

function Ticks({ status }: { status: string }) {
  if (status === 'sent') return <span className="ticks" aria-hidden="true">✓</span>;
  if (status === 'delivered') return <span className="ticks" aria-hidden="true">✓✓</span>;
  if (status === 'read') return <span className="ticks read" aria-hidden="true">✓✓</span>;
  return null;
}

export function statusText(m: Message, t: Translate, now: number, lang: 'fr' | 'en', reviewer?: string): string {
  if (m.status === 'held') {
    const left = secondsUntil(m.holdUntil, now);
    return left !== null && left > 0 ? t('status_held', { time: formatDuration(left, lang) }) : t('status_held_due');
  }
  if (m.status === 'failed') {
    // A neutral provider code has a sentence in both languages; any other code keeps its detail.
    const sentence = providerSentence(m.failure?.code, lang);
    return t('failedBecause', { reason: sentence ?? m.failure?.detail ?? m.failure?.code ?? '?' });
  }
  if (m.status === 'queued' && m.delivery?.nextAttemptAt) return t('status_retrying', { time: formatTime(m.delivery.nextAttemptAt, lang) });
  if (m.status === 'rejected') {
    if (!m.approval?.reason) return t('status_rejected');
    return reviewer ? t('rejectedByBecause', { name: reviewer, reason: m.approval.reason }) : t('rejectedBecause', { reason: m.approval.reason });
  }
  const key = `status_${m.status}` as Parameters<Translate>[0];
  return t(key) || m.status;
}

function MessageBubble({ message: m, onFix, canWithdraw = false }: { message: Message; onFix: () => void; canWithdraw?: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const undo = useUndo();
  const client = useQueryClient();
  const { notify } = useToast();
  const out = m.direction === 'out';
  const revoked = m.deletion?.scope === 'everyone';
  const hiddenForMe = !!m.deletedForMe;
  const held = m.status === 'held';
  const holdLeft = secondsUntil(m.holdUntil, now);
  const outcomes = m.deletion?.scope === 'everyone' ? m.deletion.outcomes : [];
  // What each device did with a deletion or an edit: "deleted"/"edited" only where every one applied it.
  const revokeReach = deletionReach(m);
  const revokeOnlyPending = outcomes.every((o) => o.outcome === 'applied' || o.outcome === 'pending');
  const editOutcomes = m.editOutcomes ?? [];
  const reachOfEdit = editReach(m);
  const h = (key: Parameters<typeof honestyText>[1]) => honestyText(lang, key);
  const refused = refusals(m, lang);
  const failureSentence = m.status === 'failed' ? providerSentence(m.failure?.code, lang) : null;
  const retrying = m.status === 'queued' && m.delivery?.nextAttemptAt ? m.delivery : null;
  // Who rejected it, or approved it with changes: the author sees the reviewer's name.
  const reviewed = out && (m.status === 'rejected' || m.approval?.changedByReviewer === true);
  const users = useUsers(reviewed);
  const reviewer = reviewed ? users.data?.find((u) => u.id === m.approval?.decidedBy)?.name : undefined;
  const authorsVersion = m.approval?.changedByReviewer ? m.versions.filter((v) => v.createdBy !== m.approval?.decidedBy).at(-1) : undefined;

  /** The author takes back a message awaiting approval: it will never be sent. */
  async function withdraw() {
    try {
      await messageAction(client, `messages/${m.id}/cancel`);
      notify({ text: h('withdrawn'), tone: 'success' });
    } catch (error) {
      notify({ text: error instanceof ApiError ? error.message : t('errorGeneric'), tone: 'error' });
    }
  }

  async function restore() {
    try {
      await messageAction(client, `messages/${m.id}/restore`);
    } catch (error) {
      notify({ text: error instanceof ApiError ? error.message : t('errorGeneric'), tone: 'error' });
    }
  }

  return (
    <li className={`bubble ${out ? 'out' : 'in'} status-${m.status} ${revoked ? 'revoked' : ''} ${m.deletedByCustomerAt ? 'deleted-by-customer' : ''} ${hiddenForMe ? 'hidden-for-me' : ''}`} data-message-id={m.id}>
      <span className="sr-only">{out ? t('you') : t('customer')}: </span>
      {revoked ? (
        <>
          <p className="tombstone">
            <span aria-hidden="true">⊘ </span>
            {!out
              ? t('deletedForCustomer')
              : revokeReach === 'partial'
                ? h(revokeOnlyPending ? 'youDeletedPending' : 'youDeletedPartly')
                : t('youDeleted')}
          </p>
          <details className="original">
            <summary>{t('originalKept')}</summary>
            <p className="text">{m.versions[0]?.text ?? m.text}</p>
          </details>
        </>
      ) : (
        <>
          {m.replyToMessageId && <ReplyQuote message={m} />}
          <MessageContent message={m} />
        </>
      )}
      <Reaction message={m} />
      <p className="meta">
        {m.origin === 'app' && <span className="from-app">{t('sentFromApp')}</span>}
        {m.edited && (
          <span className={`edited ${reachOfEdit}`}>
            {reachOfEdit === 'partial' ? h('editedPartly') : reachOfEdit === 'unknown' ? h('editedUnconfirmed') : t('edited')}
          </span>
        )}
        <time dateTime={m.createdAt}>{formatTime(m.sentAt ?? m.createdAt, lang)}</time>
        {out && (
          <span className={`status ${m.status}`}>
            <Ticks status={m.status} /> {statusText(m, t, now, lang, reviewer)}
          </span>
        )}
      </p>
      {failureSentence && m.failure?.detail && <p className="note">{t('providerSaid', { detail: m.failure.detail })}</p>}
      {retrying && (
        <p className="note retrying">
          {retrying.attempts === 1 ? t('attemptsOne') : t('attemptsMany', { count: retrying.attempts })}
          {retrying.lastError ? ` — ${providerSentence(retrying.lastError, lang) ?? retrying.lastError}` : ''}
        </p>
      )}
      {refused.map((r, i) => (
        <p key={`${r.action}-${r.at ?? i}`} className="warning" role="note">
          {t(r.action === 'edit' ? 'refused_edit' : 'refused_revoke', { reason: r.reason })}{' '}
          {t(r.action === 'edit' ? 'refusedEditConsequence' : 'refusedRevokeConsequence')}
        </p>
      ))}
      {held && holdLeft !== null && (
        <div className="hold">
          <progress max={Math.max(1, (Date.parse(m.holdUntil!) - Date.parse(m.createdAt)) / 1000)} value={Math.max(0, holdLeft)} aria-hidden="true" />
          <button type="button" className="undo" onClick={() => undo(m.id)} title={t('undoHint')} aria-keyshortcuts="Alt+Z">
            {t('undo')}
          </button>
        </div>
      )}
      {m.status === 'awaiting_approval' && (
        <p className="note review">
          <span aria-hidden="true">👁 </span>
          {t('reviewExplain')}
          {out && canWithdraw && (
            <>
              {' '}
              <button type="button" className="link" title={h('withdrawHint')} onClick={withdraw}>
                {h('withdraw')}
              </button>
            </>
          )}
        </p>
      )}
      {m.approval?.changedByReviewer && (
        <div className="note approved-changes">
          <p>{t('approvedWithChangesBy', { name: reviewer ?? '…' })}</p>
          {authorsVersion && (
            <details className="original">
              <summary>{t('authorsVersion')}</summary>
              <p className="text">{authorsVersion.text}</p>
            </details>
          )}
        </div>
      )}
      {editOutcomes.length > 0 && (
        <details className="outcomes edit-outcomes" open={reachOfEdit !== 'all'}>
          <summary>{h('editOutcomes')}</summary>
          <ul>
            {editOutcomes.map((o, i) => (
              <li key={o.deviceId ?? i} className={`outcome ${o.outcome}`}>
                <strong>{o.deviceLabel ?? (o.deviceId ? '—' : t('allDevices'))}</strong>
                {lang === 'fr' ? ' : ' : ': '}
                {h(`edit_${o.outcome}`)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {outcomes.length > 0 && (
        <details className="outcomes" open>
          <summary>{t('outcomes')}</summary>
          <ul>
            {outcomes.map((o, i) => (
              <li key={o.deviceId ?? i} className={`outcome ${o.outcome}`}>
                <strong>{o.deviceLabel ?? (o.deviceId ? '—' : t('allDevices'))}</strong>
                {lang === 'fr' ? ' : ' : ': '}
                {t(`outcome_${o.outcome}`)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {m.maybeSeen && (
        <p className="warning" role="note">
          <strong>⚠ {t('maybeSeen')}</strong>
          {m.maybeSeenReasons.length > 0 && (
            <>
              {' — '}
              {t('maybeSeenExplain', {
                reasons: m.maybeSeenReasons
                  .map((r) => {
                    const key = `maybeSeen_${r}` as Parameters<Translate>[0];
                    const text = t(key);
                    return text === undefined || text === key ? r : text;
                  })
                  .join(', '),
              })}
            </>
          )}
        </p>
      )}
      {hiddenForMe && (
        <p className="note">
          {t('deletedForMe')}{' '}
          <button type="button" className="link" onClick={restore}>
            {t('restore')}
          </button>
        </p>
      )}
      {out && !m.origin && FIXABLE.has(m.status) && !revoked && (
        <button type="button" className="fix" onClick={onFix}>
          {t('fixMessage')}
        </button>
      )}
      {out && !m.origin && revoked && (
        <button type="button" className="fix" onClick={onFix}>
          {t('fixDeletedMessage')}
        </button>
      )}
    </li>
  );
}

/** What the message says: text, a template with its values, a placeholder for content that did not come through, or the customer's deletion. */
function MessageContent({ message: m }: { message: Message }) {
  const { t, lang } = useI18n();
  if (m.deletedByCustomerAt) {
    return (
      <>
        <p className="tombstone">
          <span aria-hidden="true">⊘ </span>
          {t('deletedForCustomer')}
        </p>
        <p className="note by-customer">
          {t('deletedByCustomer')} · <time dateTime={m.deletedByCustomerAt}>{formatTime(m.deletedByCustomerAt, lang)}</time>
        </p>
        <details className="original">
          <summary>{t('originalKeptCustomer')}</summary>
          {m.versions.length > 1 ? <Versions message={m} /> : <p className="text">{m.versions[0]?.text ?? m.text}</p>}
        </details>
      </>
    );
  }
  if (m.contentType === 'unsupported') {
    const { notShown, errors } = contentReasons(m);
    return (
      <div className="unsupported">
        <p className="placeholder">
          <span aria-hidden="true">⚠ </span>
          {errors.length === 0 && notShown ? t('notShownTitle') : t('unsupportedTitle')}
        </p>
        {errors.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, never reordered
          <p key={i} className="note">
            {t('providerReason', { reason: describeProviderError(e, lang) })}
          </p>
        ))}
        {notShown && <p className="note">{t('notShownReason', { type: notShown })}</p>}
        {m.text && <p className="text">{m.text}</p>}
      </div>
    );
  }
  const template = m.contentType === 'template' ? m.template : null;
  // The server's summary "[name · language]: values" says nothing the structured view does not.
  const preview = template && !m.text.startsWith(`[${template.name} · `) ? m.text : null;
  return (
    <>
      {template ? (
        <div className="template">
          <p className="template-name">{t('templateLabel', { name: template.name, language: template.language })}</p>
          {template.parameters.length > 0 ? (
            <ol className="template-values" aria-label={t('templateValues')}>
              {template.parameters.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional values ({{1}}, {{2}}…)
                <li key={i}>{p}</li>
              ))}
            </ol>
          ) : (
            <p className="note">{t('templateNoValues')}</p>
          )}
          {preview && <p className="text">{preview}</p>}
        </div>
      ) : isRich(m) ? (
        <RichContent message={m} />
      ) : (
        <p className="text">{m.text}</p>
      )}
      {m.versions.length > 1 && (
        <details className="versions">
          <summary>{t('versionsTitle', { count: m.versions.length })}</summary>
          <Versions message={m} />
        </details>
      )}
    </>
  );
}

function Versions({ message: m }: { message: Message }) {
  const { t, lang } = useI18n();
  return (
    <ol className="version-list">
      {m.versions
        .slice()
        .sort((a, b) => a.version - b.version)
        .map((v) => (
          <li key={v.version}>
            <span className="muted">{t('versionLine', { n: v.version, time: formatTime(v.createdAt, lang) })}</span>
            <p className="text">{v.text}</p>
          </li>
        ))}
    </ol>
  );
}

export function useFocusReturn() {
  const previous = useRef<Element | null>(null);
  useEffect(() => {
    previous.current = document.activeElement;
    return () => {
      if (previous.current instanceof HTMLElement) previous.current.focus();
    };
  }, []);
}
