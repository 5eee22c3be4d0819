import type { Language } from '../../src/contracts/error-codes.ts';
import { useI18n } from './i18n.tsx';
import type { Message } from './types.ts';

/** When a message is dated in the thread: when it left (what the customer's phone shows), else when it was written. */
export const messageTime = (m: Dated): string => m.sentAt ?? m.createdAt;
/** A message, or a note of the thread (dated when written). */
type Dated = Pick<Message, 'createdAt'> & { sentAt?: string | null };

const localDay = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

/** Whether `m` is the first message of its day in the thread (local time). */
export function startsDay(previous: Dated | undefined, m: Dated): boolean {
  return !previous || localDay(new Date(messageTime(previous))) !== localDay(new Date(messageTime(m)));
}

/** "Today", "Yesterday", else the full date in the reader's language ("Monday 7 December 2026"). */
export function dayLabel(iso: string, now: Date, lang: Language, words: { today: string; yesterday: string }): string {
  const date = new Date(iso);
  if (localDay(date) === localDay(now)) return words.today;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (localDay(date) === localDay(yesterday)) return words.yesterday;
  const text = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'full' }).format(date);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A line between two days of a thread. */
export function DaySeparator({ at }: { at: string }) {
  const { t, lang } = useI18n();
  return (
    <li className="day-separator">
      <time dateTime={at}>{dayLabel(at, new Date(), lang, { today: t('today'), yesterday: t('yesterday') })}</time>
    </li>
  );
}
