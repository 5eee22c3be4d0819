import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { DOCUMENT_MAX_BYTES, IMAGE_MAX_BYTES, MiB } from '../../src/contracts/media-limits.ts';
import './media.css';
import { ACCEPT, precheckFile, sizeLabel, typeOfFile } from './media.ts';
import { useMediaText } from './media-i18n.ts';

const EmojiPicker = lazy(() => import('./EmojiPicker.tsx'));

export interface Attachment {
  file: File;
  type: string;
  kind: 'image' | 'document';
  /** A local preview of an image (object URL), revoked when the attachment goes. */
  previewUrl: string | null;
}

/** The composer's attachment: chosen, checked before any upload (type, size), previewed, removable. */
export function useAttachment() {
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { t } = useMediaText();
  useEffect(() => () => {
    if (attachment?.previewUrl) URL.revokeObjectURL(attachment.previewUrl);
  }, [attachment]);

  function choose(file: File | undefined) {
    if (!file) return;
    const problem = precheckFile(file);
    if (problem) {
      const kind = problem.vars.kind === 'image' ? t('attachKindImage') : t('attachKindDocument');
      setRefusal(t(problem.key, { ...problem.vars, kind }));
      setAttachment(null);
      return;
    }
    const type = typeOfFile(file)!;
    const kind = type.startsWith('image/') ? 'image' : 'document';
    setRefusal(null);
    setAttachment({ file, type, kind, previewUrl: kind === 'image' && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null });
  }
  return { attachment, refusal, choose, clear: () => setAttachment(null), clearRefusal: () => setRefusal(null) };
}

/** "Attach a file" (a real file input behind a button) and "Insert an emoji", with the limits said before anything is chosen. */
export function ComposerTools({
  onChoose,
  onEmoji,
  disabled,
}: {
  onChoose: (file: File | undefined) => void;
  onEmoji: (emoji: string) => void;
  disabled?: boolean;
}) {
  const { t } = useMediaText();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const limits = t('attachLimits', { image: IMAGE_MAX_BYTES / MiB, document: DOCUMENT_MAX_BYTES / MiB });
  return (
    <span className="composer-tools">
      <input
        ref={input}
        id={`${id}-file`}
        type="file"
        className="sr-only"
        tabIndex={-1}
        aria-label={t('attach')}
        accept={ACCEPT}
        aria-describedby={`${id}-limits`}
        onChange={(e) => {
          onChoose(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <button type="button" className="icon tool" disabled={disabled} aria-label={t('attach')} title={`${t('attach')} — ${limits}`} aria-describedby={`${id}-limits`} onClick={() => input.current?.click()}>
        <span aria-hidden="true">📎</span>
      </button>
      <span id={`${id}-limits`} className="sr-only">
        {limits}
      </span>
      <button
        type="button"
        ref={emojiButton}
        className="icon tool"
        aria-label={t('emoji')}
        title={t('emoji')}
        aria-expanded={emojiOpen}
        onClick={() => setEmojiOpen((open) => !open)}
      >
        <span aria-hidden="true">🙂</span>
      </button>
      {emojiOpen && (
        <Suspense fallback={null}>
          <EmojiPicker
            onPick={(emoji) => {
              onEmoji(emoji);
            }}
            onClose={() => {
              setEmojiOpen(false);
              emojiButton.current?.focus();
            }}
          />
        </Suspense>
      )}
    </span>
  );
}

/** The chosen file before sending: a thumbnail or the document's name and size, and a way to remove it. */
export function AttachmentPreview({ attachment, onRemove, uploading }: { attachment: Attachment; onRemove: () => void; uploading: boolean }) {
  const { t, lang } = useMediaText();
  const size = sizeLabel(attachment.file.size, t, lang);
  return (
    <fieldset className="attachment-preview">
      <legend className="sr-only">{t('attached', { name: attachment.file.name, size })}</legend>
      {attachment.previewUrl ? (
        <img src={attachment.previewUrl} alt={attachment.file.name} className="attachment-thumb" />
      ) : (
        <span className="attachment-icon" aria-hidden="true">
          📄
        </span>
      )}
      <span className="attachment-name">
        {attachment.file.name} <span className="muted">({size})</span>
      </span>
      {uploading && (
        <span className="muted" role="status">
          {t('attachUploading')}
        </span>
      )}
      <button type="button" className="icon" aria-label={t('attachRemove', { name: attachment.file.name })} onClick={onRemove} disabled={uploading}>
        ×
      </button>
    </fieldset>
  );
}
