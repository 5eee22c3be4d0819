import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, patch, post } from './api.ts';
import { formatTime, useI18n } from './i18n.tsx';
import { useScreen } from './queries.ts';
import { ACCEPT, precheckFile, sizeLabel, typeOfFile, uploadMedia } from './media.ts';
import { useMediaText } from './media-i18n.ts';
import { useToast } from './toast.tsx';
import type { Channel, Screen } from './types.ts';

type DeviceScreen = Screen['devices'][number];

/** A version just below the channel's minimum: what "mark outdated" sets. */
export function outdatedVersion(min: string): string {
  const parts = min.split('.').map(Number);
  const major = parts[0] ?? 0;
  if (major > 0) return `${major - 1}.0.0`;
  return '0.0.0';
}

/** The training sandbox: what each of the customer's devices shows, live, with device controls. */
export default function CustomerPanel({ contactId, channel, onClose }: { contactId: string; channel: Channel; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const { notify } = useToast();
  const screen = useScreen(contactId);
  const [reply, setReply] = useState('');
  const [newDevice, setNewDevice] = useState('');
  const id = useId();
  const min = channel.simulator?.minClientVersion ?? '2.17.0';
  const closeButton = useRef<HTMLButtonElement>(null);

  // On a phone-sized window the panel covers the thread: focus goes into it when it opens, and back
  // to what opened it (the "Show the customer's phone" button) when it closes.
  useEffect(() => {
    const previous = document.activeElement;
    if (typeof matchMedia === 'function' && matchMedia('(max-width: 900px)').matches) closeButton.current?.focus();
    return () => {
      const now = document.activeElement;
      if (previous instanceof HTMLElement && previous.isConnected && (!now || now === document.body)) previous.focus();
    };
  }, []);

  async function run(fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (e) {
      notify({ text: e instanceof ApiError ? e.message : t('errorGeneric'), tone: 'error' });
    } finally {
      void client.invalidateQueries({ queryKey: ['screen', contactId] });
      void client.invalidateQueries({ queryKey: ['messages'] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
    }
  }

  const base = `simulator/contacts/${contactId}`;

  function sendReply(event: FormEvent) {
    event.preventDefault();
    if (!reply.trim()) return;
    const text = reply;
    setReply('');
    void run(() => post(`${base}/reply`, { text }));
  }

  function addDevice(event: FormEvent) {
    event.preventDefault();
    if (!newDevice.trim()) return;
    const label = newDevice.trim();
    setNewDevice('');
    void run(() => post(`${base}/devices`, { label, clientVersion: min, online: true }));
  }

  return (
    <aside
      className="customer-panel"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h2 id={`${id}-title`}>{t('customerPhone')}</h2>
        <button type="button" className="icon" ref={closeButton} onClick={onClose} aria-label={t('customerPhoneHide')}>
          ×
        </button>
      </header>
      <p className="hint">{t('sandbox')}</p>
      {screen.isError && (
        <p className="error" role="alert">
          {screen.error.message}
        </p>
      )}
      <div className="devices">
        {screen.data?.devices.map((d) => (
          <Device
            key={d.device.id}
            screen={d}
            onToggleOnline={() => run(() => patch(`${base}/devices/${d.device.id}`, { online: !d.device.online }))}
            onToggleOutdated={() =>
              run(() => patch(`${base}/devices/${d.device.id}`, { clientVersion: d.device.outdated ? min : outdatedVersion(min) }))
            }
          />
        ))}
      </div>
      <div className="customer-actions">
        <button type="button" className="secondary" onClick={() => run(() => post(`${base}/read`))}>
          {t('customerReads')}
        </button>
        <form onSubmit={sendReply} className="inline-form">
          <label htmlFor={`${id}-reply`}>{t('replyLabel')}</label>
          <div className="row">
            <input id={`${id}-reply`} value={reply} onChange={(e) => setReply(e.target.value)} maxLength={4096} />
            <button type="submit" className="secondary" disabled={!reply.trim()}>
              {t('customerReply')}
            </button>
          </div>
        </form>
        <CustomerFile onSend={(media) => run(() => post(`${base}/reply`, { media }))} onRefused={(text) => notify({ text, tone: 'error' })} />
        <form onSubmit={addDevice} className="inline-form">
          <label htmlFor={`${id}-device`}>{t('deviceLabel')}</label>
          <div className="row">
            <input id={`${id}-device`} value={newDevice} onChange={(e) => setNewDevice(e.target.value)} maxLength={60} />
            <button type="submit" className="secondary" disabled={!newDevice.trim()}>
              {t('addDevice')}
            </button>
          </div>
        </form>
      </div>
    </aside>
  );
}

/** What the phone shows for an image or a document: the picture itself, or the file's name to open. */
function LineMedia({ media, caption }: { media: NonNullable<DeviceScreen['lines'][number]['media']>; caption: string }) {
  const { t, lang } = useMediaText();
  if (media.kind === 'image') {
    return (
      <span className="line-media">
        <img src={media.url} alt={caption ? t('imageAlt', { caption }) : t('imageAltNone')} loading="lazy" />
      </span>
    );
  }
  const name = media.filename ?? t('kind_document');
  return (
    <span className="line-media">
      <span aria-hidden="true">📄 </span>
      <a href={media.url} download={media.filename ?? true}>
        {name}
      </a>{' '}
      <span className="muted">({sizeLabel(media.size, t, lang)})</span>
    </span>
  );
}

/** The simulated customer sends a photo or a document (checked and uploaded like the team's). */
function CustomerFile({ onSend, onRefused }: { onSend: (media: { id: string; filename: string }) => Promise<void>; onRefused: (text: string) => void }) {
  const { t } = useMediaText();
  const id = useId();
  const [busy, setBusy] = useState(false);
  return (
    <div className="inline-form">
      <label htmlFor={`${id}-file`}>{t('customerSendFile')}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept={ACCEPT}
        disabled={busy}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          const problem = precheckFile(file);
          if (problem) {
            onRefused(t(problem.key, { ...problem.vars, kind: problem.vars.kind === 'image' ? t('attachKindImage') : t('attachKindDocument') }));
            return;
          }
          setBusy(true);
          try {
            const uploaded = await uploadMedia(file, typeOfFile(file)!);
            await onSend({ id: uploaded.id, filename: file.name });
          } catch (error) {
            onRefused(error instanceof ApiError ? error.message : t('errorGeneric'));
          } finally {
            setBusy(false);
          }
        }}
      />
    </div>
  );
}

function Device({ screen, onToggleOnline, onToggleOutdated }: { screen: DeviceScreen; onToggleOnline: () => void; onToggleOutdated: () => void }) {
  const { t, lang } = useI18n();
  const { device, lines } = screen;
  return (
    <section className={`phone ${device.online ? 'online' : 'offline'} ${device.outdated ? 'outdated' : ''}`} aria-label={device.label} data-device={device.label}>
      <header>
        <strong>{device.label}</strong>
        <span className="state">
          {device.online ? t('online') : t('offline')} · {t('version', { version: device.clientVersion })}
          {device.outdated && <span className="pill warn">{t('outdated')}</span>}
        </span>
      </header>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own, so a keyboard must reach it (axe scrollable-region-focusable) */}
      <ol className="screen-lines" aria-live="polite" aria-label={t('deviceScreen', { device: device.label })} tabIndex={0}>
        {lines.length === 0 && <li className="muted">{t('noLines')}</li>}
        {lines.map((line) => (
          <li key={line.messageId} className={`line ${line.from} ${line.kind}`} data-kind={line.kind}>
            {line.quoted && (
              <span className="line-quote">
                <span className="sr-only">{t('quoteOnPhone')} </span>
                {line.quoted.kind === 'tombstone' ? <em>⊘ {line.quoted.text}</em> : line.quoted.text}
              </span>
            )}
            {line.media && <LineMedia media={line.media} caption={line.text} />}
            {(line.text || line.kind === 'tombstone') && (
              <span className="line-text">{line.kind === 'tombstone' ? <em>⊘ {line.text}</em> : line.text}</span>
            )}
            <span className="line-meta">
              {line.editedLabel && <span className="edited">{line.editedLabel}</span>} {formatTime(line.at, lang)}
              {line.from === 'business' && line.read ? ' ✓✓' : ''}
            </span>
          </li>
        ))}
      </ol>
      <div className="phone-controls">
        <button
          type="button"
          className="secondary small"
          aria-label={`${device.online ? t('takeOffline') : t('bringOnline')} — ${device.label}`}
          onClick={onToggleOnline}
        >
          {device.online ? t('takeOffline') : t('bringOnline')}
        </button>
        <button
          type="button"
          className="secondary small"
          aria-label={`${device.outdated ? t('markCurrent') : t('markOutdated')} — ${device.label}`}
          onClick={onToggleOutdated}
        >
          {device.outdated ? t('markCurrent') : t('markOutdated')}
        </button>
      </div>
    </section>
  );
}
