import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError, get, post } from './api.ts';
import { useNewConversationText } from './new-conversation-i18n.ts';
import { useChannels } from './queries.ts';
import { navigate } from './route.ts';
import type { Contact, Conversation } from './types.ts';

const SHOWN = 8;
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
const digits = (s: string) => s.replace(/\D/g, '');

/** Whether a contact matches what was typed: name (case and accents ignored), or the digits of a number. */
export function contactMatches(contact: Contact, q: string): boolean {
  const text = fold(q.trim());
  if (!text) return true;
  if (fold(contact.name).includes(text)) return true;
  const d = digits(q);
  return d.length >= 3 && contact.identities.some((i) => i.kind === 'phone' && digits(i.value).includes(d));
}

/**
 * "New conversation": pick a contact (or add one) and a channel; the conversation opens empty
 * (`POST /conversations`) and the thread is shown, ready to write. Nothing reaches the customer
 * until a message is sent.
 */
export default function NewConversation({ onClose }: { onClose: () => void }) {
  const { t, lang } = useNewConversationText();
  const client = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const channels = useChannels();
  const contacts = useQuery({
    queryKey: ['contacts'],
    queryFn: ({ signal }) => get<{ items: Contact[] }>('contacts', signal).then((r) => r.items),
  });
  const [q, setQ] = useState('');
  const [channelId, setChannelId] = useState<string>('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<'fr' | 'en'>(lang);
  const [busy, setBusy] = useState<'open' | 'add' | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  // The parent re-renders with a new onClose each time; the dialog opens once and closes once.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const openedThread = useRef(false);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    const previous = document.activeElement;
    if (!el.open) el.showModal();
    const onCancel = () => closeRef.current();
    el.addEventListener('close', onCancel);
    return () => {
      el.removeEventListener('close', onCancel);
      // Back to the button that opened it, unless a thread was opened (its composer takes the focus).
      if (!openedThread.current && previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);

  const defaultChannel = channels.data?.find((c) => c.isDefault) ?? channels.data?.[0];
  const chosenChannel = channelId || defaultChannel?.id || '';
  const matches = useMemo(() => (contacts.data ?? []).filter((c) => contactMatches(c, q)), [contacts.data, q]);

  function failed(e: unknown) {
    if (e instanceof ApiError) {
      const field = (e.details as { field?: unknown } | undefined)?.field;
      setError({ message: e.code === 'network_error' ? t('networkError') : e.message, ...(typeof field === 'string' ? { field } : {}) });
    } else setError({ message: t('errorGeneric') });
  }

  async function open(contactId: string) {
    const conversation = await post<Conversation>('conversations', { contactId, ...(chosenChannel ? { channelId: chosenChannel } : {}) });
    void client.invalidateQueries({ queryKey: ['conversations'] });
    client.setQueryData(['conversations', 'one', conversation.id], conversation);
    openedThread.current = true;
    dialog.current?.close();
    navigate({ view: 'inbox', conversationId: conversation.id });
  }

  async function pick(contact: Contact) {
    setBusy('open');
    setError(null);
    try {
      await open(contact.id);
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy('add');
    setError(null);
    try {
      const contact = await post<Contact>('contacts', { name: name.trim(), phone: phone.trim(), language });
      void client.invalidateQueries({ queryKey: ['contacts'] });
      await open(contact.id);
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  }

  const phoneError = error?.field === 'phone';
  return (
    <dialog ref={dialog} className="fix-dialog new-conversation" aria-labelledby={`${id}-title`}>
      <header>
        <h2 id={`${id}-title`}>{t('ncTitle')}</h2>
        <button type="button" className="icon" onClick={() => dialog.current?.close()} aria-label={t('close')}>
          ×
        </button>
      </header>

      {(channels.data?.length ?? 0) > 1 && (
        <div className="field">
          <label htmlFor={`${id}-channel`}>{t('ncChannel')}</label>
          <select id={`${id}-channel`} value={chosenChannel} onChange={(e) => setChannelId(e.target.value)}>
            {channels.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}

      <div>
        <div className="field">
          <label htmlFor={`${id}-q`}>
            {t('ncFindContact')}
          </label>
          <input
            id={`${id}-q`}
            type="search"
            value={q}
            placeholder={t('ncFindHint')}
            autoComplete="off"
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        {contacts.isPending ? (
          <p className="muted">{t('loading')}</p>
        ) : matches.length === 0 ? (
          <p className="muted">{q.trim() ? t('ncNoContactMatches', { q: q.trim() }) : t('ncNoContacts')}</p>
        ) : (
          <ul className="contact-picks">
            {matches.slice(0, SHOWN).map((c) => (
              <li key={c.id}>
                <button type="button" className="ghost block" disabled={busy !== null} onClick={() => pick(c)}>
                  <span className="sr-only">{t('ncWriteTo', { name: c.name })}</span>
                  <span aria-hidden="true">
                    <strong>{c.name}</strong> <span className="muted">{c.phone ?? c.identities[0]?.value ?? ''}</span>
                  </span>
                </button>
              </li>
            ))}
            {matches.length > SHOWN && <li className="muted">{t('ncMoreContacts', { count: matches.length - SHOWN })}</li>}
          </ul>
        )}
      </div>

      <form className="connect-form" aria-labelledby={`${id}-add`} onSubmit={add}>
        <h3 id={`${id}-add`}>{t('ncAddContact')}</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('ncName')}</label>
          <input id={`${id}-name`} required maxLength={200} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-phone`}>{t('ncPhone')}</label>
          <input
            id={`${id}-phone`}
            type="tel"
            required
            minLength={3}
            maxLength={40}
            autoComplete="off"
            value={phone}
            aria-invalid={phoneError || undefined}
            aria-describedby={`${id}-phone-hint${phoneError ? ` ${id}-error` : ''}`}
            onChange={(e) => setPhone(e.target.value)}
          />
          <span id={`${id}-phone-hint`} className="hint">
            {t('ncPhoneHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lang`}>{t('ncLanguage')}</label>
          <select id={`${id}-lang`} value={language} onChange={(e) => setLanguage(e.target.value === 'fr' ? 'fr' : 'en')}>
            <option value="fr">{t('ncLanguage_fr')}</option>
            <option value="en">{t('ncLanguage_en')}</option>
          </select>
        </div>
        {error && (
          <p id={`${id}-error`} className="error" role="alert">
            {error.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'add' ? t('ncAdding') : busy === 'open' ? t('ncOpening') : t('ncAddAndWrite')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
