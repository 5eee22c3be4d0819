import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, get, query } from './api.ts';
import { useNow } from './clock.ts';
import { Composer, PLACEHOLDER } from './Composer.tsx';
import { draftCorrection } from './correction.ts';
import { clearDraft, fillKnown, knownPrice, loadDraft, saveDraft } from './correction-fill.ts';
import { MISTAKE_CATEGORY, reportMissedMistake } from './guard-feedback.ts';
import { type HonestyKey, honestyText } from './honesty-i18n.ts';
import { deletionReach, editReach, outcomeSummary, type Reach } from './outcomes.ts';
import { formatDuration, type MessageKey, useI18n } from './i18n.tsx';
import { messageAction } from './queries.ts';
import { useToast } from './toast.tsx';
import { type Channel, type Conversation, MISTAKE_KINDS, type Message, type MistakeKind, type Remedies, type Remedy, type Session } from './types.ts';

export interface FixDialogProps {
  message: Message;
  conversation: Conversation;
  session: Session;
  channel: Channel | undefined;
  onClose: () => void;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'act'; remedy: Remedy['remedy'] }
  | { kind: 'correct'; deleted: boolean; notice: string | null; unconfirmed?: boolean; reach?: Reach; editedNotEverywhere?: boolean };

/** "Fix this message": the remedy advisor, then the chosen fix, then (when useful) a correction. */
export default function FixDialog({ message, conversation, session, channel, onClose }: FixDialogProps) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  // A correction left unsent reopens where it was; a message already deleted for everyone opens
  // on its correction (the thread's own "Fix" entry for a deleted message).
  const [saved] = useState(() => loadDraft(message.id));
  // The correction quotes the wrong message (a WhatsApp reply) unless the agent says otherwise.
  const [quote, setQuote] = useState(true);
  const quotable = message.sentAt !== null;
  const deletedForEveryone = message.deletion?.scope === 'everyone';
  const [mistake, setMistake] = useState<MistakeKind | null>(
    () => saved?.mistake ?? (deletedForEveryone && isMistake(message.deletion?.reason) ? message.deletion.reason : null),
  );
  const [step, setStep] = useState<Step>(() =>
    saved || deletedForEveryone
      ? { kind: 'correct', deleted: saved?.deleted ?? true, notice: null, ...(deletedForEveryone ? { reach: deletionReach(message) } : {}) }
      : { kind: 'choose' },
  );
  const [note, setNote] = useState('');
  const [editText, setEditText] = useState(message.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Mistakes already reported as missed by the guard, from this dialog.
  const [reportedMissed, setReportedMissed] = useState<ReadonlySet<MistakeKind>>(new Set());
  const [reporting, setReporting] = useState(false);
  const now = useNow();
  // "Report a missed mistake" only when the check really did not flag it: a warning or block of that
  // category on the message means it was caught (and sent anyway), and the hint would say otherwise.
  const caughtCategories = new Set((message.guard?.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.category));
  const missedCategory =
    mistake && session.user.role !== 'auditor' && !caughtCategories.has(MISTAKE_CATEGORY[mistake] ?? '') ? MISTAKE_CATEGORY[mistake] : undefined;

  // Opened once; on close, focus goes back to what opened it ("Fix this message") or, when that is
  // gone (the message was hidden), to the thread's composer — never to <body>. `onClose` is read
  // through a ref: the parent passes a new function on every render, which must not re-open anything.
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    const previous = document.activeElement;
    if (!el.open) el.showModal();
    const onCancel = () => onCloseRef.current();
    el.addEventListener('close', onCancel);
    return () => {
      el.removeEventListener('close', onCancel);
      const back =
        previous instanceof HTMLElement && previous.isConnected ? previous : document.querySelector<HTMLElement>('.thread .composer textarea');
      back?.focus();
    };
  }, []);

  // A step opened by a button (that button is now gone): focus its first field, else its main action.
  const moved = useRef(false);
  const goTo = (next: Step) => {
    moved.current = true;
    setStep(next);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const root = dialog.current;
    const section = root?.querySelector<HTMLElement>('section.act, section.remedies-step');
    const target =
      section?.querySelector<HTMLElement>('textarea') ??
      section?.querySelector<HTMLElement>('.actions button.primary, .actions button.danger, ol.remedies button') ??
      root?.querySelector<HTMLElement>('input[type="radio"]:checked');
    target?.focus();
  }, [step]);

  // Never sent: withdrawn (awaiting approval) or reworked and resubmitted (rejected), never corrected.
  const awaiting = message.status === 'awaiting_approval';
  const rejected = message.status === 'rejected';
  const h = (key: HonestyKey, vars?: Record<string, string | number>) => honestyText(lang, key, vars);
  /** A remedy's name, in the words of a message that never left. */
  const remedyLabel = (remedy: Remedy['remedy']) =>
    awaiting && remedy === 'cancel' ? h('remedy_withdraw') : rejected && remedy === 'edit' ? h('editResubmit') : t(`remedy_${remedy}` as MessageKey);
  const revokeStillOpen = !!message.revocableUntil && Date.parse(message.revocableUntil) >= now;

  const remedies = useQuery({
    queryKey: ['remedies', message.id, mistake],
    queryFn: ({ signal }) => get<Remedies>(`messages/${message.id}/remedies${query({ mistake })}`, signal),
    enabled: mistake !== null,
  });
  const fetchedAt = remedies.dataUpdatedAt || now;
  const ranked = (remedies.data?.remedies ?? []).slice().sort((a, b) => a.rank - b.rank);

  async function act(path: string, body?: unknown): Promise<Message | null> {
    setBusy(true);
    setError(null);
    try {
      return await messageAction(client, path, body);
    } catch (e) {
      const apiError = e instanceof ApiError ? e : null;
      setError(apiError?.message || t('errorGeneric'));
      // Too late to delete or edit: the honest way out is a correction message.
      if (apiError && (apiError.code === 'revoke_window_expired' || apiError.code === 'edit_window_expired' || apiError.code === 'capability_unsupported')) {
        setStep({ kind: 'correct', deleted: false, notice: apiError.message });
      }
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function run(remedy: Remedy['remedy']) {
    if (!mistake) {
      setError(t('reasonRequired'));
      return;
    }
    if (remedy === 'cancel') {
      if (await act(`messages/${message.id}/cancel`)) {
        notify({ text: awaiting ? h('withdrawn') : t('undone'), tone: 'success' });
        close();
      }
    } else if (remedy === 'edit') {
      const edited = await act(`messages/${message.id}/edit`, { text: editText });
      if (!edited) return;
      if (rejected) {
        notify({ text: h('resubmitted'), tone: 'success' });
        close();
        return;
      }
      // An edit some device did not take (outdated app, offline, or a channel that confirms nothing):
      // say so per device and offer a correction, instead of closing as if it were done.
      const reach = editReach(edited);
      if (reach === 'partial' || reach === 'unknown') {
        setStep({
          kind: 'correct',
          deleted: false,
          notice: reach === 'unknown' ? h('editedUnknown') : h('editedNotEverywhere', { summary: outcomeSummary(edited, 'edit', lang) }),
          unconfirmed: true,
          editedNotEverywhere: true,
        });
      } else close();
    } else if (remedy === 'delete_for_everyone_and_correct') {
      const done = await act(`messages/${message.id}/delete`, { scope: 'everyone', reason: mistake, ...(note.trim() ? { note: note.trim() } : {}) });
      if (!done) return;
      // What each device did with it: "deleted" only when every one of them applied it.
      const reach = deletionReach(done);
      const unconfirmed = reach !== 'all' || (!!channel && !channel.capabilities.confirmsRevoke);
      const notice =
        reach === 'all'
          ? h('deletedAllDevices', { count: done.deletion?.outcomes.length ?? 0 })
          : reach === 'partial'
            ? h('deletedNotEverywhere', { summary: outcomeSummary(done, 'deletion', lang) })
            : reach === 'none'
              ? h('deletedNoDevice')
              : t('deleteRequestedUnconfirmed');
      setStep({ kind: 'correct', deleted: true, notice, unconfirmed, reach });
    } else if (remedy === 'delete_for_me') {
      if (await act(`messages/${message.id}/delete`, { scope: 'me', reason: mistake, ...(note.trim() ? { note: note.trim() } : {}) })) close();
    } else if (remedy === 'correct') {
      setStep({ kind: 'correct', deleted: false, notice: null });
    } else {
      close();
    }
  }

  function close() {
    dialog.current?.close();
  }

  /** "Report a missed mistake": the message as it went out, labelled with the chosen mistake's category. */
  async function reportMissed() {
    if (!mistake || !missedCategory) return;
    setReporting(true);
    setError(null);
    try {
      await reportMissedMistake(message.text, missedCategory);
      setReportedMissed((r) => new Set(r).add(mistake));
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError'));
    } finally {
      setReporting(false);
    }
  }

  const contactLanguage = conversation.contact.language === 'fr' ? 'fr' : 'en';

  return (
    <dialog ref={dialog} className="fix-dialog" aria-labelledby={`${id}-title`}>
      <header>
        <h2 id={`${id}-title`}>{t('fixTitle')}</h2>
        <button type="button" className="icon" onClick={close} aria-label={t('close')}>
          ×
        </button>
      </header>
      <blockquote className="quoted">{message.text}</blockquote>

      {step.kind !== 'correct' && (
        <fieldset className="mistakes">
          <legend>
            {t('whatWentWrong')} <span aria-hidden="true">*</span>
          </legend>
          {MISTAKE_KINDS.map((kind) => (
            <label key={kind} className="radio">
              <input
                type="radio"
                name={`${id}-mistake`}
                value={kind}
                required
                checked={mistake === kind}
                onChange={() => {
                  setMistake(kind);
                  setStep({ kind: 'choose' });
                  setError(null);
                }}
              />
              {t(`mistake_${kind}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      )}

      {mistake && step.kind === 'choose' && (
        <section className="remedies-step" aria-labelledby={`${id}-remedies`} aria-busy={remedies.isPending}>
          <h3 id={`${id}-remedies`}>{t('remediesTitle')}</h3>
          {remedies.isPending && <p className="muted">{t('loading')}</p>}
          {remedies.isError && (
            <p className="error" role="alert">
              {remedies.error.message}
            </p>
          )}
          <ol className="remedies">
            {ranked.map((r, i) => {
              const left = r.secondsLeft === null ? null : r.secondsLeft - Math.max(0, now - fetchedAt) / 1000;
              return (
                <li key={r.remedy} className={i === 0 ? 'best' : undefined}>
                  <div className="remedy-head">
                    <strong>{remedyLabel(r.remedy)}</strong>
                    {i === 0 && <span className="pill">{t('recommended')}</span>}
                    {left !== null && (
                      <span className={`window ${left <= 0 ? 'closed' : left < 60 ? 'urgent' : ''}`} role="timer" aria-live="off">
                        {left > 0 ? t('windowLeft', { time: formatDuration(left, lang) }) : t('windowClosed')}
                      </span>
                    )}
                  </div>
                  <p>{r.reason[lang]}</p>
                  {r.remedy !== 'none' && (
                    <button type="button" className={i === 0 ? 'primary' : 'secondary'} onClick={() => goTo({ kind: 'act', remedy: r.remedy })}>
                      {remedyLabel(r.remedy)}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          {missedCategory && (
            <div className="report-missed">
              {reportedMissed.has(mistake) ? (
                <p className="success" role="status">
                  {t('reportedMissed')}
                </p>
              ) : (
                <>
                  <button type="button" className="secondary" disabled={reporting} aria-describedby={`${id}-missed-hint`} onClick={() => void reportMissed()}>
                    {t('reportMissed')}
                  </button>
                  <span id={`${id}-missed-hint`} className="hint">
                    {t('reportMissedHint')}
                  </span>
                </>
              )}
            </div>
          )}
        </section>
      )}

      {mistake && step.kind === 'act' && (
        <section className="act">
          <h3>{remedyLabel(step.remedy)}</h3>
          {awaiting && step.remedy === 'cancel' && <p className="hint">{h('withdrawHint')}</p>}
          {step.remedy === 'edit' && (
            <>
              <label htmlFor={`${id}-edit`}>{rejected ? h('resubmitLabel') : t('editLabel')}</label>
              <textarea id={`${id}-edit`} rows={4} value={editText} onChange={(e) => setEditText(e.target.value)} />
              {message.editableUntil && <Countdown until={message.editableUntil} labelKey="editWindowLeft" />}
            </>
          )}
          {(step.remedy === 'delete_for_everyone_and_correct' || step.remedy === 'delete_for_me') && (
            <>
              {step.remedy === 'delete_for_me' && (
                <p className="warning">{revokeStillOpen ? t('deleteForMeWarning') : h('deleteForMeWarningLate')}</p>
              )}
              {step.remedy === 'delete_for_everyone_and_correct' && message.revocableUntil && (
                <Countdown until={message.revocableUntil} labelKey="revokeWindowLeft" />
              )}
              <label htmlFor={`${id}-note`}>{t('noteLabel')}</label>
              <textarea id={`${id}-note`} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
            </>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => goTo({ kind: 'choose' })}>
              {t('back')}
            </button>
            <button
              type="button"
              className={step.remedy.startsWith('delete') ? 'danger' : 'primary'}
              disabled={busy || (step.remedy === 'edit' && (editText.trim() === '' || editText === message.text))}
              onClick={() => run(step.remedy)}
            >
              {step.remedy === 'edit'
                ? rejected
                  ? h('resubmit')
                  : t('saveEdit')
                : step.remedy === 'delete_for_everyone_and_correct'
                  ? t('confirmDelete')
                  : step.remedy === 'delete_for_me'
                    ? t('confirmDeleteForMe')
                    : step.remedy === 'cancel'
                      ? awaiting
                        ? h('withdraw')
                        : t('confirmCancel')
                      : t('startCorrection')}
            </button>
          </div>
        </section>
      )}

      {step.kind === 'correct' && (
        <section className="correction" aria-labelledby={`${id}-correction`}>
          {step.notice && (
            <p className={step.deleted && !step.unconfirmed ? 'success' : 'warning'} role={step.deleted ? 'status' : 'alert'}>
              {step.notice}
            </p>
          )}
          <h3 id={`${id}-correction`}>{t('correctionTitle')}</h3>
          <p className="hint">{t('correctionHelp')}</p>
          {quotable && (
            <label className="quote-toggle">
              <input type="checkbox" checked={quote} onChange={(e) => setQuote(e.target.checked)} /> {t('quoteWrongMessage')}
            </label>
          )}
          <Composer
            session={session}
            conversation={conversation}
            channel={channel}
            initialText={
              saved?.text ??
              fillKnown(
                draftCorrection({
                  language: contactLanguage,
                  name: conversation.contact.name,
                  mistake: mistake ?? 'other',
                  deleted: step.deleted,
                  ...(step.reach ? { reach: step.reach } : {}),
                  ...(step.editedNotEverywhere ? { editedNotEverywhere: true } : {}),
                }),
                { price: knownPrice(message) },
              )
            }
            replyToMessageId={quotable && quote ? message.id : undefined}
            onTextChange={(text) => saveDraft(message.id, { mistake: mistake ?? 'other', deleted: step.deleted, text })}
            mustReplace={PLACEHOLDER}
            label={t('correctionTitle')}
            submitLabel={t('sendCorrection')}
            autoFocus
            onSent={() => {
              clearDraft(message.id);
              notify({ text: t('correctionSent'), tone: 'success' });
              close();
            }}
          />
        </section>
      )}

      {error && step.kind !== 'correct' && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </dialog>
  );
}

function Countdown({ until, labelKey }: { until: string; labelKey: MessageKey }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const left = (Date.parse(until) - now) / 1000;
  return (
    <p className={`window ${left <= 0 ? 'closed' : left < 60 ? 'urgent' : ''}`} role="timer">
      {left > 0 ? t(labelKey, { time: formatDuration(left, lang) }) : `${t(labelKey, { time: '0 s' })} — ${t('windowClosed')}`}
    </p>
  );
}

const isMistake = (reason: string | null | undefined): reason is MistakeKind => !!reason && (MISTAKE_KINDS as readonly string[]).includes(reason);
