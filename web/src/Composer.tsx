import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { MAX_TEXT_LENGTH } from '../../src/contracts/limits.ts';
import { CAPTION_MAX_LENGTH } from '../../src/contracts/media-limits.ts';
import { AttachmentPreview, ComposerTools, useAttachment } from './ComposerMedia.tsx';
import { uploadMedia } from './media.ts';
import { ApiError, post } from './api.ts';
import { addGlossaryWord, reportFalseAlarm } from './guard-feedback.ts';
import { findingMessage, kindsToAcknowledge, segments, useGuardCheck } from './guard.ts';
import { type MessageKey, useI18n } from './i18n.tsx';
import { inboxText } from './inbox-i18n.ts';
import { TemplateForm } from './TemplateForm.tsx';
import { useToast } from './toast.tsx';
import type { Channel, Conversation, Finding, Message, Session, Verdict } from './types.ts';
import { holdTopic, rememberHeld, useUndo } from './undo.ts';

export interface ComposerProps {
  session: Session;
  conversation: Conversation;
  channel: Channel | undefined;
  /** Prefilled text (the correction composer). */
  initialText?: string;
  /** Text that must be replaced before sending, e.g. "[…]" placeholders. */
  mustReplace?: RegExp;
  label?: string;
  submitLabel?: string;
  onSent?: (message: Message) => void;
  autoFocus?: boolean;
  /** Every change of the text (a correction draft is kept when its dialog closes). */
  onTextChange?: (text: string) => void;
  /** Sent as a WhatsApp reply quoting this message (a correction quoting the mistake). */
  replyToMessageId?: string | undefined;
  /** Posts the draft as an internal note instead (offered on a "note meant for a colleague" finding). */
  onPostAsNote?: (text: string) => Promise<void>;
}

/** "[…]" parts of a prefilled correction that the agent must replace. */
export const PLACEHOLDER = /\[[^\]\n]*\]/;

export function Composer({ session, conversation, channel, initialText = '', mustReplace, label, submitLabel, onSent, autoFocus, onTextChange, replyToMessageId, onPostAsNote }: ComposerProps) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const undo = useUndo();
  const id = useId();
  const [text, setText] = useState(initialText);
  const [acknowledged, setAcknowledged] = useState<Set<string>>(new Set());
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState<Finding[] | null>(null);
  // The Cloud API refused free text (24-hour window closed): offer an approved template instead.
  const [templateOffered, setTemplateOffered] = useState(false);
  const [templateOpen, setTemplateOpen] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  // Findings the agent said were not mistakes (by kind, place and phrase), and what became of them.
  const [feedback, setFeedback] = useState<Map<string, FeedbackOutcome>>(new Map());
  const [feedbackBusy, setFeedbackBusy] = useState<string | null>(null);
  // An image or a document to send with the text as its caption.
  const media = useAttachment();
  const [uploading, setUploading] = useState(false);
  const role = session.user.role;
  const canGiveFeedback = role !== 'auditor';

  const guard = useGuardCheck(text, conversation.contact.id, conversation.channelId);
  const fresh = guard.check && guard.checkedText === text ? guard.check : null;
  const findings = fresh?.findings ?? (blocked && !guard.check ? blocked : []);
  const verdict: Verdict | null = fresh?.verdict ?? null;
  const toAcknowledge = useMemo(() => kindsToAcknowledge(findings), [findings]);
  const missingAck = toAcknowledge.filter((k) => !acknowledged.has(k));
  const hasPlaceholder = mustReplace ? mustReplace.test(text) : false;
  const empty = text.trim() === '' && !media.attachment;
  const maxLength = media.attachment ? CAPTION_MAX_LENGTH : MAX_TEXT_LENGTH;
  const tooLong = text.length > maxLength;
  const canSend = !empty && !tooLong && !sending && verdict !== 'block' && missingAck.length === 0 && !hasPlaceholder;
  const holdSeconds = fresh?.holdSeconds ?? channel?.defaultHoldSeconds ?? 0;

  function update(next: string) {
    setText(next);
    onTextChange?.(next);
    setError(null);
    setBlocked(null);
  }

  /** After the server accepted a message (text or template): refresh, announce the hold, hand it on. */
  function accepted(message: Message) {
    void client.invalidateQueries({ queryKey: ['messages', conversation.id] });
    void client.invalidateQueries({ queryKey: ['conversations'] });
    void client.invalidateQueries({ queryKey: ['approvals'] });
    if (message.status === 'held' && message.holdUntil) {
      rememberHeld(message);
      const seconds = Math.max(0, Math.round((Date.parse(message.holdUntil) - Date.now()) / 1000));
      notify(
        {
          text: t('sentHeld', { seconds }),
          action: { label: t('undo'), title: t('undoHint'), run: () => void undo(message.id) },
          topic: holdTopic(message.id),
        },
        Math.min(Math.max(seconds, 1) * 1000, 30_000),
      );
    } else if (message.status === 'awaiting_approval') {
      notify({ text: t('sentForApproval') });
    }
    onSent?.(message);
  }

  function applySuggestion(f: Finding) {
    if (f.suggestion === undefined) return;
    update(text.slice(0, f.start) + f.suggestion + text.slice(f.end));
    textarea.current?.focus();
  }

  /** "Not a mistake" (and, for a spelling finding, "Add to glossary": an admin adds it, anyone else proposes it). */
  async function markNotAMistake(f: Finding, glossary: boolean) {
    const key = findingKey(text, f);
    setFeedbackBusy(key);
    try {
      await reportFalseAlarm(text, f, glossary);
      let outcome: FeedbackOutcome = 'reported';
      if (glossary && role === 'admin') {
        await addGlossaryWord(text.slice(f.start, f.end));
        outcome = 'glossary_added';
      } else if (glossary) outcome = 'glossary_proposed';
      const next = new Map(feedback).set(key, outcome);
      setFeedback(next);
      // Every warning of this kind judged not a mistake: nothing left to acknowledge by hand.
      if (f.action === 'warn' && findings.filter((g) => g.kind === f.kind && g.action === 'warn').every((g) => next.has(findingKey(text, g)))) {
        setAcknowledged((a) => new Set(a).add(f.kind));
      }
    } catch (e) {
      notify({ text: e instanceof ApiError && e.code !== 'network_error' ? e.message : t('networkError'), tone: 'error' });
    } finally {
      setFeedbackBusy(null);
    }
  }

  /** The reference text's wrong-recipient case, fixed at the source: the note goes to the team, not the customer. */
  async function postAsNote() {
    if (!onPostAsNote || sending || text.trim() === '') return;
    setSending(true);
    try {
      await onPostAsNote(text);
      update('');
      media.clear();
      setAcknowledged(new Set());
      notify({ text: inboxText(lang, 'postedAsNote'), tone: 'success' });
      textarea.current?.focus();
    } catch (e) {
      setError(e instanceof ApiError ? (e.code === 'network_error' ? t('networkError') : e.message) : t('errorGeneric'));
    } finally {
      setSending(false);
    }
  }

  async function send() {
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      const attachment = media.attachment;
      let uploaded: { id: string } | null = null;
      if (attachment) {
        setUploading(true);
        try {
          uploaded = await uploadMedia(attachment.file, attachment.type);
        } finally {
          setUploading(false);
        }
      }
      const message = await post<Message>('messages', {
        contactId: conversation.contact.id,
        channelId: conversation.channelId,
        ...(text.trim() || !uploaded ? { text } : {}),
        ...(uploaded && attachment ? { media: { id: uploaded.id, filename: attachment.file.name } } : {}),
        idempotencyKey: idempotencyKey.current,
        ...(acknowledged.size > 0 ? { acknowledge: toAcknowledge.filter((k) => acknowledged.has(k)) } : {}),
        ...(replyToMessageId ? { replyToMessageId } : {}),
      });
      idempotencyKey.current = crypto.randomUUID();
      setText('');
      media.clear();
      setAcknowledged(new Set());
      setTemplateOffered(false);
      setTemplateOpen(false);
      accepted(message);
      textarea.current?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'guard_blocked') {
        const details = e.details as { findings?: Finding[] } | undefined;
        setBlocked(details?.findings ?? []);
      }
      if (e instanceof ApiError && e.code === 'outside_service_window') setTemplateOffered(true);
      setError(e instanceof ApiError ? (e.code === 'network_error' ? t('networkError') : e.message) : t('errorGeneric'));
    } finally {
      setSending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  /** An emoji goes where the cursor is, and the cursor after it. */
  function insertEmoji(emoji: string) {
    const el = textarea.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    update(text.slice(0, start) + emoji + text.slice(end));
    requestAnimationFrame(() => el?.setSelectionRange(start + emoji.length, start + emoji.length));
  }

  const segs = segments(text, findings);
  const effectiveVerdict: Verdict | null = verdict ?? (blocked ? 'block' : null);
  const verdictText = guard.pending && !fresh ? t('checking') : effectiveVerdict ? t(`verdict_${effectiveVerdict}` as MessageKey) : '';

  return (
    <>
      <form
        className={`composer verdict-${effectiveVerdict ?? 'none'}`}
        aria-label={label ?? t('composer')}
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label htmlFor={`${id}-text`} className="sr-only">
          {t('messageLabel', { name: conversation.contact.name })}
        </label>
        <div className="editor">
          <div className="backdrop" ref={backdrop} aria-hidden="true">
            {segs.map((s) =>
              s.finding ? (
                <mark key={s.start} className={`finding sev-${s.finding.action}`} data-kind={s.finding.kind}>
                  {s.text}
                </mark>
              ) : (
                <span key={s.start}>{s.text}</span>
              ),
            )}
            {'\u200b'}
          </div>
          <textarea
            id={`${id}-text`}
            ref={textarea}
            value={text}
            rows={initialText ? 7 : 3}
            // biome-ignore lint/a11y/noAutofocus: the dialog's correction composer takes focus when it opens
            autoFocus={autoFocus}
            placeholder={t('composerPlaceholder')}
            aria-describedby={`${id}-verdict ${id}-findings ${id}-hint`}
            aria-invalid={effectiveVerdict === 'block' || undefined}
            spellCheck
            onChange={(e) => update(e.target.value)}
            onKeyDown={onKeyDown}
            onScroll={(e) => {
              if (backdrop.current) backdrop.current.scrollTop = e.currentTarget.scrollTop;
            }}
          />
        </div>
        {media.attachment && <AttachmentPreview attachment={media.attachment} uploading={uploading} onRemove={() => {
          media.clear();
          textarea.current?.focus();
        }} />}
        {media.refusal && (
          <p className="error" role="alert">
            {media.refusal}
          </p>
        )}
        <div className="composer-bar">
          <ComposerTools onChoose={media.choose} onEmoji={insertEmoji} disabled={sending} />
          <output id={`${id}-verdict`} className={`verdict ${effectiveVerdict ?? 'none'}`} aria-live="polite" aria-label={t('verdictLabel')}>
            {verdictText}
          </output>
          <span className={`count ${tooLong ? 'over' : ''}`}>
            {text.length > maxLength * 0.8 ? t('charCount', { count: text.length, max: maxLength }) : ''}
          </span>
          <button type="submit" className="primary" disabled={!canSend} aria-keyshortcuts="Control+Enter">
            {sending ? t('sending') : effectiveVerdict === 'review' ? t('sendForApproval') : (submitLabel ?? t('send'))}
          </button>
        </div>
        <div id={`${id}-findings`}>
          {findings.length > 0 && (
            <ul className="findings" aria-label={t('findings')}>
              {findings.map((f) => (
                <li key={`${f.kind}-${f.start}-${f.end}`} className={`finding-item sev-${f.action}`}>
                  <span className="category">{t(`category_${f.category}` as MessageKey)}</span>
                  <q>{text.slice(f.start, f.end)}</q> — {findingMessage(f, lang)}
                  {f.kind === 'recipient.internal_note' && onPostAsNote && (
                    <button type="button" className="secondary post-as-note" title={inboxText(lang, 'postAsNoteHint')} disabled={sending} onClick={() => void postAsNote()}>
                      {inboxText(lang, 'postAsNote')}
                    </button>
                  )}
                  {f.suggestion !== undefined && (
                    <button type="button" className="link" onClick={() => applySuggestion(f)}>
                      {t('applySuggestion', { text: f.suggestion })}
                    </button>
                  )}
                  {canGiveFeedback && (
                    <FindingFeedback
                      word={text.slice(f.start, f.end)}
                      spelling={f.category === 'spelling'}
                      outcome={feedback.get(findingKey(text, f))}
                      busy={feedbackBusy === findingKey(text, f)}
                      onReport={(glossary) => void markNotAMistake(f, glossary)}
                    />
                  )}
                  {f.action === 'warn' && (
                    <label className="ack">
                      <input
                        type="checkbox"
                        checked={acknowledged.has(f.kind)}
                        onChange={(e) => {
                          const next = new Set(acknowledged);
                          if (e.target.checked) next.add(f.kind);
                          else next.delete(f.kind);
                          setAcknowledged(next);
                        }}
                      />
                      {t('acknowledge')}
                    </label>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
        <p id={`${id}-hint`} className="hint">
          {effectiveVerdict === 'block'
            ? t('blockedExplain')
            : effectiveVerdict === 'review'
              ? t('reviewExplain')
              : missingAck.length > 0
                ? t('acknowledgeAll')
                : hasPlaceholder
                  ? t('correctionPlaceholders')
                  : holdSeconds > 0
                    ? t('sendHint', { seconds: holdSeconds })
                    : t('sendHintNoHold')}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {templateOffered && !templateOpen && (
          <button type="button" className="secondary template-offer" onClick={() => setTemplateOpen(true)}>
            {t('sendTemplateInstead')}
          </button>
        )}
      </form>
      {templateOpen && (
        <TemplateForm
          conversation={conversation}
          onClose={() => {
            setTemplateOpen(false);
            textarea.current?.focus();
          }}
          onSent={(message) => {
            setTemplateOpen(false);
            setTemplateOffered(false);
            setError(null);
            accepted(message);
          }}
        />
      )}
    </>
  );
}

type FeedbackOutcome = 'reported' | 'glossary_added' | 'glossary_proposed';

const findingKey = (text: string, f: Finding) => `${f.kind}:${f.start}:${f.end}:${text.slice(f.start, f.end)}`;

/** A finding's "Not a mistake" / "Add to glossary" actions, then what came of them. */
function FindingFeedback({
  word,
  spelling,
  outcome,
  busy,
  onReport,
}: {
  word: string;
  spelling: boolean;
  outcome: FeedbackOutcome | undefined;
  busy: boolean;
  onReport: (glossary: boolean) => void;
}) {
  const { t } = useI18n();
  if (outcome) {
    return (
      <span className="feedback-done" role="status">
        {outcome === 'glossary_added'
          ? t('addedToGlossary', { word })
          : outcome === 'glossary_proposed'
            ? t('proposedForGlossary', { word })
            : t('reportedFalseAlarm')}
      </span>
    );
  }
  return (
    <span className="feedback-actions">
      <button type="button" className="link" title={t('notAMistakeHint')} disabled={busy} onClick={() => onReport(false)}>
        {t('notAMistake')}
      </button>
      {spelling && (
        <button type="button" className="link" disabled={busy} onClick={() => onReport(true)}>
          {t('addToGlossary')}
        </button>
      )}
    </span>
  );
}
