import { describe, expect, it } from 'vitest';
import { parseEvolutionWebhook } from './evolution/evolution-webhook-parser.ts';
import { cloudChanges, cloudEnvelopeSchema, parseCloudChange } from './whatsapp-cloud/cloud-webhook-parser.ts';

const now = new Date('2026-03-02T10:00:00.000Z');
const envelope = (value: Record<string, unknown>) =>
  cloudEnvelopeSchema.parse({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '123' }, ...value } }] }],
  });

function parseCloud(value: Record<string, unknown>) {
  const { changes } = cloudChanges(envelope(value));
  return parseCloudChange(changes[0]!, now);
}

describe('Cloud API webhook parser', () => {
  it('reads statuses with their dedupe key, echoed key and neutral failure code', () => {
    const { events } = parseCloud({
      statuses: [
        { id: 'wamid.A', status: 'delivered', timestamp: '1768467660', recipient_id: '33600000000', biz_opaque_callback_data: 'k1' },
        { id: 'wamid.B', status: 'failed', timestamp: '1768467661', recipient_id: '33600000000', errors: [{ code: 131047, title: 'Re-engagement message' }] },
      ],
    });
    expect(events[0]).toMatchObject({ kind: 'status', dedupeKey: 'status:wamid.A:delivered', callbackKey: 'k1', at: new Date(1768467660_000) });
    expect(events[1]).toMatchObject({ kind: 'status', status: 'failed', failureCode: 'outside_service_window', errors: [{ code: '131047' }] });
  });

  it('reads customer text, revoke, edit, media, and keeps unknown types as unsupported with their reason', () => {
    const { events, ignored } = parseCloud({
      contacts: [{ wa_id: '33611111111', profile: { name: 'Claire' } }],
      messages: [
        { from: '33611111111', id: 'wamid.1', timestamp: '1768467600', type: 'text', text: { body: 'Bonjour' } },
        { from: '33611111111', id: 'wamid.2', timestamp: '1768467601', type: 'revoke', revoke: { original_message_id: 'wamid.1' } },
        { from: '33611111111', id: 'wamid.3', type: 'edit', edit: { original_message_id: 'wamid.1', message: { type: 'text', text: { body: 'Salut' } } } },
        { from: '33611111111', id: 'wamid.4', type: 'poll', poll: { id: 'x' } },
        { from: '33611111111', id: 'wamid.5', type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
        { id: 'no-sender' },
      ],
    });
    expect(events.map((e) => e.kind)).toEqual(['inbound', 'customer_deleted', 'customer_edited', 'inbound', 'inbound']);
    expect(events[0]).toMatchObject({ identity: { phone: '+33611111111' }, profileName: 'Claire', text: 'Bonjour', contentType: 'text' });
    expect(events[1]).toMatchObject({ providerMessageId: 'wamid.1', dedupeKey: 'revoke:wamid.2' });
    expect(events[2]).toMatchObject({ providerMessageId: 'wamid.1', text: 'Salut' });
    expect(events[3]).toMatchObject({ contentType: 'unsupported', errors: [{ code: 'type_not_shown' }] });
    expect(events[4]).toMatchObject({ contentType: 'unsupported', errors: [{ code: '131051' }] });
    expect(ignored).toEqual([{ reason: 'malformed_message' }]);
  });

  it('ignores other objects and fields without failing the delivery', () => {
    const other = cloudChanges(cloudEnvelopeSchema.parse({ object: 'page', entry: [] }));
    expect(other).toEqual({ changes: [], ignored: [{ reason: 'unknown_object', detail: 'page' }] });
    const field = cloudChanges(cloudEnvelopeSchema.parse({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'account_update', value: {} }] }] }));
    expect(field.ignored).toEqual([{ reason: 'unknown_field', detail: 'account_update' }]);
  });
});

describe('Evolution webhook parser', () => {
  const base = { instance: 'errata', apikey: 'k' };
  it('maps acks to statuses and ignores our own echoes and groups', () => {
    const acks = parseEvolutionWebhook({ ...base, event: 'messages.update', data: { keyId: '3EB0A', remoteJid: '551199@s.whatsapp.net', fromMe: true, status: 'DELIVERY_ACK' } }, now);
    expect(acks.events[0]).toMatchObject({ kind: 'status', status: 'delivered', dedupeKey: 'status:3EB0A:delivered' });
    const echo = parseEvolutionWebhook({ ...base, event: 'messages.upsert', data: { key: { remoteJid: '551199@s.whatsapp.net', fromMe: true, id: 'X' }, message: { conversation: 'hi' } } }, now);
    expect(echo.events).toEqual([]);
    const group = parseEvolutionWebhook({ ...base, event: 'MESSAGES_UPSERT', data: { key: { remoteJid: '1203@g.us', fromMe: false, id: 'Y' }, message: { conversation: 'hi' } } }, now);
    expect(group.ignored[0]?.reason).toBe('group_message');
  });

  it('takes both shapes of messages.delete and the edited text', () => {
    const key = { remoteJid: '5511999990001@s.whatsapp.net', fromMe: false, id: '3EB0B' };
    const bare = parseEvolutionWebhook({ ...base, event: 'messages.delete', data: key }, now);
    const wrapped = parseEvolutionWebhook({ ...base, event: 'messages.delete', data: { key, status: 'DELETED' } }, now);
    expect(bare.events).toEqual(wrapped.events);
    expect(bare.events[0]).toMatchObject({ kind: 'customer_deleted', providerMessageId: '3EB0B' });
    const edited = parseEvolutionWebhook({ ...base, event: 'messages.edited', data: { key, editedMessage: { conversation: 'new' }, timestampMs: 1768467600000 } }, now);
    expect(edited.events[0]).toMatchObject({ kind: 'customer_edited', text: 'new', at: new Date(1768467600000) });
  });
});
