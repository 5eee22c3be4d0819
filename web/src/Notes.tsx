import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from 'react';
import { MAX_TEXT_LENGTH } from '../../src/contracts/limits.ts';
import { ApiError, post } from './api.ts';
import { Composer, type ComposerProps } from './Composer.tsx';
import { formatTime, useI18n } from './i18n.tsx';
import { useInboxText } from './inbox-i18n.ts';
import { useUsers } from './queries.ts';
import { useToast } from './toast.tsx';
import type { Note } from './types.ts';
import './inbox.css';

/** Posts an internal note and refreshes the thread (notes are part of it). */
export async function postNote(client: ReturnType<typeof useQueryClient>, conversationId: string, text: string): Promise<Note> {
  const note = await post<Note>(`conversations/${conversationId}/notes`, { text });
  void client.invalidateQueries({ queryKey: ['messages', conversationId] });
  return note;
}

/** A note in the thread: the team's, set apart from what the customer and the team said to each other. */
export function NoteItem({ note }: { note: Note }) {
  const { t, lang } = useInboxText();
  const users = useUsers();
  const name = (id: string) => users.data?.find((u) => u.id === id)?.name;
  const author = name(note.authorUserId);
  const heading = author ? t('noteBy', { name: author }) : t('noteByUnknown');
  const mentioned = note.mentions.map(name).filter((n): n is string => !!n);
  return (
    <li className="note" data-note-id={note.id} aria-label={heading}>
      <div className="note-head">
        <span>
          <span aria-hidden="true">🔒 </span>
          {heading}
        </span>
        <time dateTime={note.createdAt}>{formatTime(note.createdAt, lang)}</time>
      </div>
      <p className="text">{highlightMentions(note.text, users.data?.map((u) => u.name) ?? [])}</p>
      {mentioned.length > 0 && <p className="sr-only">{t('noteMentions', { names: mentioned.join(', ') })}</p>}
    </li>
  );
}

/** "@Full Name" of a teammate (longest names first), else "@word", set in bold. */
function highlightMentions(text: string, names: readonly string[]): ReactNode[] {
  const escaped = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(@(?:${[...escaped, "[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*"].join('|')}))`, 'iu');
  return text.split(pattern).map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one immutable text
      <span key={i} className="mention">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

/** Writes an internal note: never sent, the team only. */
export function NoteComposer({ conversation, autoFocus }: { conversation: ComposerProps['conversation']; autoFocus?: boolean }) {
  const { t } = useInboxText();
  const app = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const id = useId();
  const [text, setText] = useState('');
  const [posting, setPosting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const canPost = text.trim() !== '' && text.length <= MAX_TEXT_LENGTH && !posting;

  async function submit() {
    if (!canPost) return;
    setPosting(true);
    setError(null);
    try {
      await postNote(client, conversation.id, text);
      setText('');
      notify({ text: t('notePosted'), tone: 'success' });
      textarea.current?.focus();
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'network_error' ? e.message : app.t('networkError'));
    } finally {
      setPosting(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <form
      className="note-composer"
      aria-label={t('modeNote')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-note`} className="sr-only">
        {t('noteLabel', { name: conversation.contact.name })}
      </label>
      <textarea
        id={`${id}-note`}
        ref={textarea}
        rows={3}
        value={text}
        // biome-ignore lint/a11y/noAutofocus: switching to "Internal note" puts the cursor where the note is written
        autoFocus={autoFocus}
        placeholder={t('notePlaceholder')}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="bar">
        <p id={`${id}-hint`} className="hint">
          {t('noteHint')}
        </p>
        <button type="submit" className="note-submit" disabled={!canPost} aria-keyshortcuts="Control+Enter">
          {posting ? t('notePosting') : t('notePost')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/**
 * The thread's composer with its two modes: a reply to the customer, or an internal note. A
 * reply the guard reads as a note meant for a colleague can be posted as a note in one click.
 */
export function ThreadComposer(props: ComposerProps) {
  const { t } = useInboxText();
  const client = useQueryClient();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [switched, setSwitched] = useState(false);
  const { conversation, session } = props;
  const canNote = session.user.role !== 'auditor';
  const choose = (next: 'reply' | 'note') => {
    setMode(next);
    setSwitched(true);
  };
  return (
    <>
      {canNote && (
        // biome-ignore lint/a11y/useSemanticElements: two toggle buttons (aria-pressed) read better than a fieldset of radios here
        <div className="compose-mode" role="group" aria-label={t('composeMode')}>
          <button type="button" aria-pressed={mode === 'reply'} onClick={() => choose('reply')}>
            {t('modeReply')}
          </button>
          <button type="button" className="note-mode" aria-pressed={mode === 'note'} onClick={() => choose('note')}>
            {t('modeNote')}
          </button>
        </div>
      )}
      {mode === 'note' ? (
        <NoteComposer conversation={conversation} autoFocus={switched} />
      ) : (
        <Composer
          {...props}
          autoFocus={switched || props.autoFocus}
          {...(canNote ? { onPostAsNote: (text: string) => postNote(client, conversation.id, text).then(() => undefined) } : {})}
        />
      )}
    </>
  );
}
