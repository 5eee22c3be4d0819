import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { onRealtimeEvent, type RealtimeEvent } from './events.ts';
import type { Translate } from './i18n.tsx';
import { navigate } from './route.ts';
import type { Conversation, Page } from './types.ts';

const NOTIFY_KEY = 'errata.notify';
const SOUND_KEY = 'errata.sound';

const stored = (key: string): boolean => {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
};
const store = (key: string, on: boolean) => {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // not remembered
  }
};

/** "(3) Inbox · Errata": the unread count in the tab title. */
export function titleWith(unread: number, page: string): string {
  return `${unread > 0 ? `(${unread}) ` : ''}${page} · Errata`;
}

/** Unread customer messages over the conversations the list has loaded (most recent first). */
export function unreadTotal(pages: readonly Page<Conversation>[] | undefined): number {
  return (pages ?? []).reduce((sum, p) => sum + p.items.reduce((s, c) => s + c.unreadCount, 0), 0);
}

export interface Alert {
  title: string;
  tag: string;
  conversationId: string | null;
}

/**
 * What a realtime event should raise, if anything: a customer's new message, or (for reviewers) a
 * message waiting for approval. Events carry no content, so the alert says who, never what.
 */
export function alertFor(
  event: RealtimeEvent,
  options: { reviewer: boolean; t: Translate; contactName?: string | undefined; userId?: string | undefined },
): Alert | null {
  if (event.type === 'message.received') {
    return {
      title: options.contactName ? options.t('notifyNewMessageFrom', { name: options.contactName }) : options.t('notifyNewMessage'),
      tag: `message-${event.conversationId ?? event.messageId ?? ''}`,
      conversationId: event.conversationId,
    };
  }
  // A teammate @mentioned this person in an internal note (the event names who, never the text).
  if (event.type === 'note.mentioned' && options.userId && (event.data?.userIds as unknown[] | undefined)?.includes(options.userId)) {
    return {
      title: options.contactName ? options.t('notifyMention', { name: options.contactName }) : options.t('notifyMentionNoName'),
      tag: `note-${String(event.data?.noteId ?? event.conversationId ?? '')}`,
      conversationId: event.conversationId,
    };
  }
  if (event.type === 'message.awaiting_approval' && options.reviewer) {
    return { title: options.t('notifyApproval'), tag: 'approvals', conversationId: null };
  }
  return null;
}

function contactNameIn(client: QueryClient, conversationId: string | null): string | undefined {
  if (!conversationId) return undefined;
  const one = client.getQueryData<Conversation>(['conversations', 'one', conversationId]);
  if (one) return one.contact.name;
  for (const [, data] of client.getQueriesData<{ pages: Page<Conversation>[] }>({ queryKey: ['conversations'] })) {
    for (const page of data?.pages ?? []) {
      const hit = page?.items?.find?.((c) => c.id === conversationId);
      if (hit) return hit.contact.name;
    }
  }
  return undefined;
}

/** A short two-tone chime made on the spot (no sound file to download). */
function chime(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.gain.value = 0.08;
    gain.connect(ctx.destination);
    [880, 1320].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.12);
      osc.stop(ctx.currentTime + i * 0.12 + 0.1);
    });
    setTimeout(() => void ctx.close(), 600);
  } catch {
    // no sound
  }
}

const supported = () => typeof Notification !== 'undefined';

/**
 * Browser notifications (with the browser's permission) for customers' new messages and, for
 * reviewers, approvals waiting — only while the team member is elsewhere (another tab, another
 * window) — and an optional chime. Both choices are remembered in this browser.
 */
export function useNotifications({ reviewer, t, userId }: { reviewer: boolean; t: Translate; userId?: string | undefined }) {
  const client = useQueryClient();
  const [enabled, setEnabled] = useState(() => stored(NOTIFY_KEY) && supported() && Notification.permission === 'granted');
  const [sound, setSound] = useState(() => stored(SOUND_KEY));
  const [blocked, setBlocked] = useState(() => supported() && Notification.permission === 'denied');

  useEffect(() => {
    if (!enabled && !sound) return;
    return onRealtimeEvent((event) => {
      const alert = alertFor(event, { reviewer, t, userId, contactName: contactNameIn(client, event.conversationId) });
      if (!alert) return;
      const away = document.visibilityState !== 'visible' || !document.hasFocus();
      if (!away) return;
      if (sound) chime();
      if (enabled && supported() && Notification.permission === 'granted') {
        const n = new Notification(alert.title, { tag: alert.tag, body: t('notifyBody'), lang: document.documentElement.lang });
        n.onclick = () => {
          window.focus();
          if (alert.conversationId) navigate({ view: 'inbox', conversationId: alert.conversationId });
          else navigate({ view: 'approvals' });
          n.close();
        };
      }
    });
  }, [client, enabled, sound, reviewer, t, userId]);

  const toggle = useCallback(async () => {
    if (enabled) {
      setEnabled(false);
      store(NOTIFY_KEY, false);
      return;
    }
    if (!supported()) return;
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setBlocked(permission === 'denied');
    const on = permission === 'granted';
    setEnabled(on);
    store(NOTIFY_KEY, on);
  }, [enabled]);

  const toggleSound = useCallback(() => {
    setSound((on) => {
      store(SOUND_KEY, !on);
      return !on;
    });
  }, []);

  return { enabled, sound, blocked, supported: supported(), toggle, toggleSound };
}
