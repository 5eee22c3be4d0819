import { describe, expect, it } from 'vitest';
import { decideProviderStatus, type MessageState, type ProviderStatus } from './message-lifecycle.ts';

const now = new Date('2026-03-02T10:00:00.000Z');
const message = (status: MessageState['status'], direction: 'out' | 'in' = 'out'): MessageState => ({
  direction,
  authorUserId: 'u1',
  status,
  text: 'Bonjour',
  version: 1,
  holdUntil: null,
  sentAt: status === 'queued' ? null : new Date(now.getTime() - 60_000),
  deliveredAt: status === 'delivered' || status === 'read' ? new Date(now.getTime() - 30_000) : null,
  readAt: status === 'read' ? new Date(now.getTime() - 10_000) : null,
  deletedForMeAt: null,
  revokedAt: null,
});

const decide = (m: MessageState, s: ProviderStatus) => decideProviderStatus(m, s, now, { providerMessageId: 'wamid.X', failure: { code: 'recipient_unreachable' } });
const types = (m: MessageState, s: ProviderStatus) => {
  const d = decide(m, s);
  return d.ok ? d.events.map((e) => e.type) : ['refused'];
};

describe('decideProviderStatus', () => {
  it('moves forward only: sent < delivered < read', () => {
    expect(types(message('sent'), 'delivered')).toEqual(['message.delivered']);
    expect(types(message('sent'), 'read')).toEqual(['message.read']);
    expect(types(message('read'), 'delivered')).toEqual([]);
    expect(types(message('delivered'), 'delivered')).toEqual([]);
    expect(types(message('delivered'), 'sent')).toEqual([]);
  });

  it('a status that beats our own record of the send marks it sent first, with the provider’s id', () => {
    const d = decide(message('queued'), 'read');
    expect(d.ok && d.events.map((e) => e.type)).toEqual(['message.sent', 'message.read']);
    expect(d.ok && d.patch).toMatchObject({ status: 'read', providerMessageId: 'wamid.X', sentAt: now, deliveredAt: now, readAt: now });
  });

  it('failed only before delivery, with the neutral code; never for customer messages or cancelled ones', () => {
    const d = decide(message('sent'), 'failed');
    expect(d.ok && d.patch).toMatchObject({ status: 'failed', failureCode: 'recipient_unreachable' });
    expect(types(message('delivered'), 'failed')).toEqual([]);
    expect(types(message('received', 'in'), 'read')).toEqual([]);
    expect(types(message('cancelled'), 'sent')).toEqual([]);
  });
});
