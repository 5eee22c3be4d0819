import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchRealtimeEvent } from './events.ts';
import { I18nProvider, translate } from './i18n.tsx';
import { alertFor, titleWith, unreadTotal, useNotifications } from './notify.ts';
import { conversation } from './test/harness.tsx';

const shown: { title: string; options: NotificationOptions }[] = [];
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted';
    return 'granted' as NotificationPermission;
  });
  onclick: (() => void) | null = null;
  constructor(title: string, options: NotificationOptions) {
    shown.push({ title, options });
  }
  close() {}
}

beforeEach(() => {
  shown.length = 0;
  FakeNotification.permission = 'default';
  localStorage.clear();
  vi.stubGlobal('Notification', FakeNotification);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const event = (type: string) => ({ type, workspaceId: 'w', conversationId: conversation.id, messageId: 'm', at: new Date().toISOString() });

describe('pure parts', () => {
  it('the tab title carries the unread count', () => {
    expect(titleWith(3, 'Inbox')).toBe('(3) Inbox · Errata');
    expect(titleWith(0, 'Boîte de réception')).toBe('Boîte de réception · Errata');
    expect(unreadTotal([{ items: [{ ...conversation, unreadCount: 2 }, { ...conversation, unreadCount: 1 }], nextCursor: null }])).toBe(3);
  });

  it('alerts for customers’ messages (by name when known) and, for reviewers only, approvals', () => {
    const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate('fr', key, vars);
    expect(alertFor(event('message.received'), { reviewer: false, t, contactName: 'Claire Dubois' })?.title).toBe('Nouveau message de Claire Dubois');
    expect(alertFor(event('message.received'), { reviewer: false, t })?.title).toBe('Nouveau message d’un client');
    expect(alertFor(event('message.awaiting_approval'), { reviewer: true, t })?.title).toBe('Un message attend votre validation');
    expect(alertFor(event('message.awaiting_approval'), { reviewer: false, t })).toBeNull();
    expect(alertFor(event('message.delivered'), { reviewer: true, t })).toBeNull();
    expect(alertFor(event('message.sent_from_app'), { reviewer: true, t })).toBeNull();
  });
});

function Toggles({ reviewer }: { reviewer: boolean }) {
  const n = useNotifications({ reviewer, t: (key, vars) => translate('en', key, vars) });
  return (
    <>
      <button type="button" aria-pressed={n.enabled} onClick={() => void n.toggle()}>
        Notifications
      </button>
      <button type="button" aria-pressed={n.sound} onClick={n.toggleSound}>
        Sound
      </button>
    </>
  );
}

function renderToggles(reviewer = true) {
  const client = new QueryClient();
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider initial="en">
        <Toggles reviewer={reviewer} />
      </I18nProvider>
    </QueryClientProvider>,
  );
}

describe('useNotifications', () => {
  it('asks the browser’s permission once turned on, then notifies only while the person is elsewhere', async () => {
    renderToggles();
    const button = screen.getByRole('button', { name: 'Notifications' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await act(async () => fireEvent.click(button));
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce();
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect(localStorage.getItem('errata.notify')).toBe('1');

    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    act(() => dispatchRealtimeEvent(event('message.received')));
    expect(shown).toEqual([]); // looking at Errata: no notification

    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    act(() => dispatchRealtimeEvent(event('message.received')));
    act(() => dispatchRealtimeEvent(event('message.awaiting_approval')));
    act(() => dispatchRealtimeEvent(event('message.delivered')));
    expect(shown.map((s) => s.title)).toEqual(['New message from a customer', 'A message is waiting for your approval']);
  });

  it('denied by the browser: stays off', async () => {
    FakeNotification.requestPermission.mockImplementationOnce(async () => {
      FakeNotification.permission = 'denied';
      return 'denied';
    });
    renderToggles();
    const button = screen.getByRole('button', { name: 'Notifications' });
    await act(async () => fireEvent.click(button));
    expect(button.getAttribute('aria-pressed')).toBe('false');
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    act(() => dispatchRealtimeEvent(event('message.received')));
    expect(shown).toEqual([]);
  });

  it('the sound choice is remembered', () => {
    renderToggles(false);
    fireEvent.click(screen.getByRole('button', { name: 'Sound' }));
    expect(localStorage.getItem('errata.sound')).toBe('1');
    expect(screen.getByRole('button', { name: 'Sound' }).getAttribute('aria-pressed')).toBe('true');
  });
});
