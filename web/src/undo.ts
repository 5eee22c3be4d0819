import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from './api.ts';
import { useI18n } from './i18n.tsx';
import { messageAction } from './queries.ts';
import { useToast } from './toast.tsx';
import type { Message } from './types.ts';

// The latest message this tab sent that is still in its hold window: what Alt+Z cancels.
let lastHeld: { id: string; holdUntil: number } | null = null;

export function rememberHeld(message: Message): void {
  if (message.status === 'held' && message.holdUntil) lastHeld = { id: message.id, holdUntil: Date.parse(message.holdUntil) };
}

export function forgetHeld(id: string): void {
  if (lastHeld?.id === id) lastHeld = null;
}

/** The topic of a message's "Held — Undo" toast. */
export const holdTopic = (id: string) => `hold:${id}`;

export function useUndo() {
  const client = useQueryClient();
  const { notify, dismissTopic } = useToast();
  const { t } = useI18n();
  return async (id: string) => {
    // Whichever Undo was used (bubble, toast, Alt+Z), the others are stale from now on.
    dismissTopic(holdTopic(id));
    try {
      await messageAction(client, `messages/${id}/cancel`);
      forgetHeld(id);
      notify({ text: t('undone'), tone: 'success' });
    } catch (error) {
      forgetHeld(id);
      // Already cancelled (another tab, a double click): it still never left — that is no error.
      if (error instanceof ApiError && (error.details as { reason?: string } | undefined)?.reason === 'already_cancelled') {
        notify({ text: t('undone'), tone: 'success' });
        return;
      }
      notify({ text: error instanceof ApiError && error.message ? error.message : t('errorGeneric'), tone: 'error' });
    }
  };
}

/** Alt+Z anywhere: undo the last send while it is held. */
export function useUndoShortcut(): void {
  const undo = useUndo();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== 'KeyZ') return;
      if (!lastHeld) return;
      event.preventDefault();
      const { id } = lastHeld;
      void undo(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
}
