import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, post } from './api.ts';
import { useI18n } from './i18n.tsx';
import type { Conversation, Message } from './types.ts';

const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** An approved WhatsApp template (name, language, values one per line): what the Cloud API lets through outside the 24-hour window. */
export function TemplateForm({ conversation, onSent, onClose }: { conversation: Conversation; onSent: (m: Message) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState(TEMPLATE_LANGUAGE.test(conversation.contact.language) ? conversation.contact.language : '');
  const [values, setValues] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const valid = TEMPLATE_NAME.test(name.trim()) && TEMPLATE_LANGUAGE.test(language.trim());

  async function submit() {
    if (!valid || sending) return;
    setSending(true);
    setError(null);
    try {
      const message = await post<Message>('messages', {
        contactId: conversation.contact.id,
        channelId: conversation.channelId,
        template: {
          name: name.trim(),
          language: language.trim(),
          parameters: values
            .split('\n')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
        },
        idempotencyKey: idempotencyKey.current,
      });
      onSent(message);
    } catch (e) {
      setError(e instanceof ApiError ? (e.code === 'network_error' ? t('networkError') : e.message) : t('errorGeneric'));
    } finally {
      setSending(false);
    }
  }

  return (
    <form
      className="template-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('templateFormTitle')}</h3>
      <div className="template-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('templateName')}</label>
          <input
            id={`${id}-name`}
            ref={first}
            value={name}
            required
            pattern="[a-z0-9_]+"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-name-hint`}
            onChange={(e) => setName(e.target.value)}
          />
          <span id={`${id}-name-hint`} className="hint">
            {t('templateNameHint')}
          </span>
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-lang`}>{t('templateLanguage')}</label>
          <input
            id={`${id}-lang`}
            value={language}
            required
            pattern="[a-z]{2,3}(_[A-Z]{2})?"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-lang-hint`}
            onChange={(e) => setLanguage(e.target.value)}
          />
          <span id={`${id}-lang-hint`} className="hint">
            {t('templateLanguageHint')}
          </span>
        </div>
      </div>
      <label htmlFor={`${id}-values`}>{t('templateParameters')}</label>
      <textarea id={`${id}-values`} rows={2} value={values} onChange={(e) => setValues(e.target.value)} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('close')}
        </button>
        <button type="submit" className="primary" disabled={!valid || sending}>
          {sending ? t('sending') : t('sendTemplate')}
        </button>
      </div>
    </form>
  );
}
