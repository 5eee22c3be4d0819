import { type KeyboardEvent, useEffect, useRef } from 'react';
import { type MediaKey, useMediaText } from './media-i18n.ts';

/** A curated set, each with a name a screen reader can say (in the reader's language). */
const EMOJI: ReadonlyArray<[string, MediaKey]> = [
  ['🙂', 'emoji_smile'],
  ['😀', 'emoji_grin'],
  ['😂', 'emoji_joy'],
  ['😉', 'emoji_wink'],
  ['😊', 'emoji_blush'],
  ['😍', 'emoji_heart_eyes'],
  ['🤔', 'emoji_thinking'],
  ['😢', 'emoji_sad'],
  ['🥺', 'emoji_sorry'],
  ['🙏', 'emoji_pray'],
  ['👍', 'emoji_thumbs_up'],
  ['👌', 'emoji_ok'],
  ['👏', 'emoji_clap'],
  ['👋', 'emoji_wave'],
  ['❤️', 'emoji_heart'],
  ['✅', 'emoji_check'],
  ['❌', 'emoji_cross'],
  ['⚠️', 'emoji_warning'],
  ['🎉', 'emoji_party'],
  ['🎁', 'emoji_gift'],
  ['📦', 'emoji_package'],
  ['🚚', 'emoji_truck'],
  ['📅', 'emoji_calendar'],
  ['⏰', 'emoji_clock'],
  ['📱', 'emoji_phone'],
  ['✉️', 'emoji_mail'],
  ['💶', 'emoji_money'],
  ['💳', 'emoji_card'],
  ['⭐', 'emoji_star'],
  ['☀️', 'emoji_sun'],
  ['👀', 'emoji_eyes'],
  ['👉', 'emoji_point_right'],
];
const COLUMNS = 8;

/**
 * The emoji list (code-split: loaded the first time someone opens it). A grid of buttons: arrow
 * keys move, Enter or Space inserts, Escape closes and gives focus back to the button that opened it.
 */
export default function EmojiPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const { t } = useMediaText();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    buttons.current[0]?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLFieldSetElement>) {
    const at = buttons.current.indexOf(document.activeElement as HTMLButtonElement);
    const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS } as Record<string, number>;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key in move && at >= 0) {
      event.preventDefault();
      const next = Math.min(EMOJI.length - 1, Math.max(0, at + move[event.key]!));
      buttons.current[next]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      buttons.current[event.key === 'Home' ? 0 : EMOJI.length - 1]?.focus();
    }
  }

  return (
    <fieldset className="emoji-picker" onKeyDown={onKeyDown}>
      <legend className="sr-only">{t('emojiPicker')}</legend>
      <div className="emoji-grid">
        {EMOJI.map(([emoji, name], i) => (
          <button
            key={name}
            type="button"
            className="emoji"
            ref={(el) => {
              buttons.current[i] = el;
            }}
            tabIndex={i === 0 ? 0 : -1}
            aria-label={t(name)}
            title={t(name)}
            onClick={() => onPick(emoji)}
          >
            <span aria-hidden="true">{emoji}</span>
          </button>
        ))}
      </div>
      <button type="button" className="link small" onClick={onClose}>
        {t('emojiClose')}
      </button>
    </fieldset>
  );
}
