import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { I18nProvider } from '../i18n.tsx';
import { ToastProvider } from '../toast.tsx';
import type { Channel, Conversation, Message, Session } from '../types.ts';

export interface Call {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
  signal: AbortSignal | null;
}

type Handler = (call: Call) => { status?: number; body?: unknown; delayMs?: number } | undefined;

/** A fake server behind `fetch`: records every call, answers through `handler`. */
export function fakeServer(handler: Handler) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
      signal: init?.signal ?? null,
    };
    calls.push(call);
    const answer = handler(call) ?? { status: 404, body: { error: { code: 'not_found', message: 'Not found.' } } };
    if (answer.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, answer.delayMs);
        call.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    }
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export function renderWithProviders(ui: ReactNode, lang: 'en' | 'fr' = 'en') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider initial={lang}>
        <ToastProvider>{ui}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

export const session: Session = {
  user: { id: '00000000-0000-4000-8000-000000000001', name: 'Alice Agent', email: 'alice@x.test', role: 'agent' },
  workspace: { id: '00000000-0000-4000-8000-000000000002', name: 'Shop', country: 'FR', language: 'fr' },
};

export const channel: Channel = {
  id: '00000000-0000-4000-8000-000000000003',
  type: 'simulator',
  name: 'Simulator',
  isDefault: true,
  revokeWindowSeconds: 4096,
  editWindowSeconds: 900,
  defaultHoldSeconds: 10,
  capabilities: { deleteForEveryone: true, edit: true, confirmsRevoke: true },
  simulator: { minClientVersion: '2.17.0', offlineRevokeDeadlineSeconds: 86400 },
  provider: null,
  createdAt: '2026-03-02T10:00:00.000Z',
};

/** A WhatsApp Cloud API channel: no delete for everyone, no edit, free text only inside the 24-hour window. */
export const cloudChannel: Channel = {
  ...channel,
  id: '00000000-0000-4000-8000-000000000007',
  type: 'whatsapp-cloud',
  name: 'WhatsApp',
  revokeWindowSeconds: 0,
  editWindowSeconds: 0,
  capabilities: { deleteForEveryone: false, edit: false, confirmsRevoke: false },
  simulator: null,
  provider: { settings: { phoneNumberId: '1234567890' }, ratePerSecond: 80, webhookPath: '/webhooks/whatsapp-cloud/x', secretsStored: ['accessToken'] },
};

export const conversation: Conversation = {
  id: '00000000-0000-4000-8000-000000000004',
  channelId: channel.id,
  contact: { id: '00000000-0000-4000-8000-000000000005', name: 'James Carter', phone: '+447911123456', handle: '+447911123456', language: 'en' },
  lastMessageAt: '2026-03-02T10:00:00.000Z',
  lastMessageText: 'Hello',
  lastMessageDeleted: false,
  unreadCount: 0,
  status: 'open',
  snoozedUntil: null,
  assigneeId: null,
  labels: [],
};

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: '00000000-0000-4000-8000-000000000006',
    conversationId: conversation.id,
    contactId: conversation.contact.id,
    channelId: channel.id,
    direction: 'out',
    authorUserId: session.user.id,
    status: 'delivered',
    text: 'Your code is 4512',
    contentType: 'text',
    content: null,
    origin: null,
    customerReaction: null,
    mediaUrl: null,
    replyToMessageId: null,
    template: null,
    version: 1,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    holdUntil: null,
    queuedAt: null,
    sentAt: new Date(Date.now() - 50_000).toISOString(),
    deliveredAt: null,
    readAt: null,
    failedAt: null,
    cancelledAt: null,
    editedAt: null,
    edited: false,
    failure: null,
    revocableUntil: new Date(Date.now() + 600_000).toISOString(),
    editableUntil: new Date(Date.now() + 300_000).toISOString(),
    versions: [],
    deletedForMe: null,
    deletedByCustomerAt: null,
    delivery: null,
    providerErrors: [],
    deletion: null,
    maybeSeen: false,
    maybeSeenReasons: [],
    editOutcomes: [],
    guard: null,
    approval: null,
    devices: [],
    ...overrides,
  };
}
