import type { MessageContentView } from '../../src/contracts/api-schemas.ts';
import { formatTime, useI18n } from './i18n.tsx';
import { sizeLabel } from './media.ts';
import { useMediaText } from './media-i18n.ts';
import { providerSentence } from './provider.ts';
import type { Message } from './types.ts';

/** Kinds shown by `RichContent`; anything else is text, a template or a placeholder. */
const RICH = new Set(['interactive_reply', 'image', 'video', 'document', 'audio', 'sticker', 'location', 'contacts', 'order', 'too_large']);
export const isRich = (m: Message) => RICH.has(m.contentType) && m.content !== null;

const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : (bytes / 1_048_576).toFixed(1));

/** What a customer sent besides text: a reply they chose, media, a place, a card, an order. Compact. */
export function RichContent({ message: m }: { message: Message }) {
  const { t } = useI18n();
  const c = m.content as MessageContentView;
  switch (c.type) {
    case 'interactive_reply':
      return (
        <div className="kind reply">
          <p className="text">{t('replyChosen', { title: c.title })}</p>
          {c.payload && <p className="note">{t('replyPayload', { payload: c.payload })}</p>}
        </div>
      );
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker':
      return <MediaContent message={m} content={c} />;
    case 'location': {
      const map = `https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=17/${c.latitude}/${c.longitude}`;
      return (
        <div className="kind location">
          <p className="media-line">
            <span aria-hidden="true">📍 </span>
            <strong>{c.name ?? t('location')}</strong>
            {' · '}
            <a href={map} target="_blank" rel="noopener noreferrer">
              {t('openMap')}
            </a>
          </p>
          {c.address && <p className="note">{c.address}</p>}
        </div>
      );
    }
    case 'contacts':
      return (
        <ul className="kind cards" aria-label={t('contactCard')}>
          {c.contacts.map((card, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the customer's list, never reordered
            <li key={i} className="card">
              <span aria-hidden="true">👤 </span>
              <strong>{card.name}</strong>
              {card.organization && <span className="muted"> · {card.organization}</span>}
              {card.phones.map((p) => (
                <span key={p.phone} className="card-line">
                  {p.phone}
                </span>
              ))}
              {card.emails.map((e) => (
                <span key={e} className="card-line">
                  {e}
                </span>
              ))}
            </li>
          ))}
        </ul>
      );
    case 'order':
      return (
        <div className="kind order">
          <p className="media-line">
            <span aria-hidden="true">🛒 </span>
            <strong>{t('orderTitle', { count: c.items.reduce((n, i) => n + i.quantity, 0) })}</strong>
          </p>
          <ul className="order-items">
            {c.items.map((item, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the order's own lines
              <li key={i}>
                {t('orderItem', { quantity: item.quantity, product: item.productId })}
                {item.price !== undefined && ` · ${item.price}${item.currency ? ` ${item.currency}` : ''}`}
              </li>
            ))}
          </ul>
          {c.text && <p className="text">{c.text}</p>}
        </div>
      );
    case 'too_large':
      return (
        <p className="placeholder">
          <span aria-hidden="true">⚠ </span>
          {t('tooLarge', { size: mb(c.size), limit: mb(c.limit) })}
        </p>
      );
    default:
      return <p className="text">{m.text}</p>;
  }
}

type MediaView = Extract<MessageContentView, { type: 'image' | 'video' | 'document' | 'audio' | 'sticker' }> & {
  fetchFailed?: { code: string; at: string; attempts: number };
  fetching?: boolean;
};

/**
 * An image inline (a thumbnail that opens in full), anything else as a download link with its name and
 * size; media WhatsApp still keeps is said to be on its way, or that it could not be fetched.
 */
function MediaContent({ message: m, content }: { message: Message; content: MessageContentView }) {
  const { t, lang } = useMediaText();
  const c = content as MediaView;
  const label = t(c.type === 'audio' && c.voice ? 'kind_voice' : (`kind_${c.type}` as 'kind_image'));
  const size = c.stored ? sizeLabel(c.stored.size, t, lang) : null;
  const name = c.filename ?? label;
  const failed = !m.mediaUrl && c.fetchFailed;
  // What we send keeps its caption as the message's text (versions, guard); a customer's is in the content.
  const caption = c.caption ?? (m.direction === 'out' && m.text.trim() ? m.text : undefined);
  return (
    <div className={`kind media ${c.type}`}>
      {m.mediaUrl && (c.type === 'image' || c.type === 'sticker') ? (
        <a href={m.mediaUrl} target="_blank" rel="noopener" className="media-thumb-link" title={t('imageOpen')}>
          <img
            src={m.mediaUrl}
            className="media-thumb"
            loading="lazy"
            alt={caption ? t('imageAlt', { caption }) : t('imageAltNone')}
          />
        </a>
      ) : (
        <p className="media-line">
          <span aria-hidden="true">{ICONS[c.type]} </span>
          <strong>{label}</strong>
          {c.filename && <span className="filename"> · {c.filename}</span>}
          {m.mediaUrl ? (
            <>
              {' · '}
              <a href={m.mediaUrl} download={c.filename ?? true} aria-label={t('documentDownload', { name, size: size ?? '?' })}>
                {t('download')}
              </a>
              {size && <span className="muted"> ({size})</span>}
            </>
          ) : failed ? (
            <span className="media-failed" role="note">
              {' · '}
              {providerSentence(failed.code, lang) ?? t('mediaFetchFailed')} {t('mediaAskAgain')}
            </span>
          ) : (
            c.mediaId && <span className="muted"> · {c.fetching ? t('mediaFetching') : t('mediaAtWhatsApp')}</span>
          )}
        </p>
      )}
      {caption && <p className="text">{caption}</p>}
    </div>
  );
}

const ICONS: Record<string, string> = { image: '📷', video: '🎬', document: '📄', audio: '🎤', sticker: '🏷' };

/** A system notice (number or security-code change): a line across the thread, not a message. */
export function SystemLine({ message: m }: { message: Message }) {
  const { lang } = useI18n();
  return (
    <li className="bubble system" data-message-id={m.id} role="note">
      <span aria-hidden="true">ℹ </span>
      {m.text} · <time dateTime={m.createdAt}>{formatTime(m.createdAt, lang)}</time>
    </li>
  );
}

/** The customer's reaction, on the message it reacts to. */
export function Reaction({ message: m }: { message: Message }) {
  const { t } = useI18n();
  if (!m.customerReaction) return null;
  return (
    <span className="reaction" role="img" aria-label={t('reactedWith', { emoji: m.customerReaction.emoji })}>
      {m.customerReaction.emoji}
    </span>
  );
}
