import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../test-support/fakes/cloud-api-fake.ts';
import { sendCloudWebhook } from '../test-support/fakes/cloud-api-webhooks.ts';
import { type EvolutionApiFake, startEvolutionApiFake } from '../test-support/fakes/evolution-api-fake.ts';
import { call, cloudChannelBody, createTestWorkspace, settle, startTestApp, type TestApp, type TestWorkspace, uniquePhoneNumberId } from '../test-support/test-app.ts';

/**
 * Issue 19's bar, checked independently: webhook bodies other people wrote or captured (the test
 * fixtures of public WhatsApp Cloud API SDKs, Meta's documented examples, Evolution API v2 captures
 * published in its issue tracker; see src/test-support/fixtures/third-party-webhooks/README.md) are
 * replayed byte for byte, signed, against a fresh server. Each must be accepted (200), understood
 * as its kind, kept (its raw delivery stored), and a non-message must neither add an unread nor
 * reopen the 24-hour window. Only routing values are substituted: the business number id / channel
 * key, and the ids of messages the scenario itself created (`wamid.TARGET`, `wamid.OUTBOUND`,
 * `EVO-TARGET`, `EVO-OUTBOUND`).
 */
const FIXTURES = path.resolve(import.meta.dirname, '../test-support/fixtures/third-party-webhooks');
const fixture = (dir: string, file: string) => readFileSync(path.join(FIXTURES, dir, file), 'utf8');
const CLOUD_NUMBER_ID = '106540352242922';
const EVO_OWN = '5511999998888';
const EVO_KEY = 'EVOLUTION-INSTANCE-APIKEY';

type Expectation =
  /** A new customer message of this content kind (an unread, the window opened). */
  | { kind: 'message'; contentType: string; text?: string | null; content?: Record<string, unknown>; handle?: string; phone?: string | null }
  /** A new message of the business's (sent from the app/phone): no unread, no window. */
  | { kind: 'business'; contentType: string; text: string }
  /** The status of the business's message. */
  | { kind: 'status'; status: string }
  /** The customer's reaction on the target message (null: taken back). */
  | { kind: 'reaction'; emoji: string | null }
  /** A new version of the target message. */
  | { kind: 'edit'; text: string }
  /** The target message deleted by the customer. */
  | { kind: 'deleted' }
  /** A system line. */
  | { kind: 'system'; systemKind?: string }
  /** Nothing a person reads changes (presence, contacts sync, receipts of nothing we know). */
  | { kind: 'nothing' }
  /** Only accepted and kept: what it should become is not settled (see the fixtures' README). */
  | { kind: 'kept' };

interface Step {
  file: string;
  expect: Expectation;
}
interface Scenario {
  name: string;
  /** Fixture files delivered first (their first message is `wamid.TARGET` / `EVO-TARGET`). */
  before?: string[];
  /** The business sends a message first (its id becomes `wamid.OUTBOUND` / `EVO-OUTBOUND`). */
  outbound?: boolean;
  steps: Step[];
}

const msg = (contentType: string, text?: string | null, more: Partial<Extract<Expectation, { kind: 'message' }>> = {}): Expectation => ({
  kind: 'message',
  contentType,
  ...(text !== undefined ? { text } : {}),
  ...more,
});
const nonMessage = (expect: Expectation) => expect.kind !== 'message' && expect.kind !== 'kept';

const cloudScenarios: Scenario[] = [
  { name: 'text (Meta reference)', steps: [{ file: 'text.json', expect: msg('text', 'Hello, is the shop open on Sunday?') }] },
  { name: 'text with an identity block', steps: [{ file: 'text-with-identity.json', expect: msg('text', 'Hi from my new phone') }] },
  { name: 'image without caption', steps: [{ file: 'image.json', expect: msg('image', undefined, { content: { mediaId: '2754859441498128', mimeType: 'image/jpeg' } }) }] },
  { name: 'image with caption', steps: [{ file: 'image-with-caption.json', expect: msg('image', 'The scratch on the lid') }] },
  { name: 'forwarded video', steps: [{ file: 'video-forwarded.json', expect: msg('video', 'Look at this', { content: { mediaId: '1265743217849920' } }) }] },
  { name: 'document', steps: [{ file: 'document.json', expect: msg('document', undefined, { content: { filename: 'form-2025.pdf', mimeType: 'application/pdf' } }) }] },
  { name: 'audio', steps: [{ file: 'audio.json', expect: msg('audio', undefined, { content: { voice: false } }) }] },
  { name: 'voice note', steps: [{ file: 'voice.json', expect: msg('audio', undefined, { content: { voice: true } }) }] },
  { name: 'animated sticker', steps: [{ file: 'sticker-animated.json', expect: msg('sticker') }] },
  { name: 'current location', steps: [{ file: 'location-current.json', expect: msg('location', undefined, { content: { latitude: 37.483307, longitude: -122.148981 } }) }] },
  { name: 'chosen place', steps: [{ file: 'location-chosen.json', expect: msg('location', undefined, { content: { name: 'Philz Coffee' } }) }] },
  { name: 'contact cards', steps: [{ file: 'contacts.json', expect: msg('contacts') }] },
  { name: 'order with empty text', steps: [{ file: 'order.json', expect: msg('order', undefined, { content: { catalogId: '194836987003835' } }) }] },
  { name: 'unsupported type', steps: [{ file: 'unsupported.json', expect: msg('unsupported') }] },
  { name: 'reply to a message we do not have', steps: [{ file: 'reply-to-unknown.json', expect: msg('text', 'Yes, this one please') }] },
  { name: 'frequently forwarded text', steps: [{ file: 'text-frequently-forwarded.json', expect: msg('text') }] },
  { name: 'text from an ad (referral)', steps: [{ file: 'referral.json', expect: msg('text', 'I saw your ad, is the offer still on?') }] },
  { name: 'interactive without its body, errors on the value', steps: [{ file: 'interactive-without-body-and-errors.json', expect: msg('unsupported') }] },
  { name: 'button reply', steps: [{ file: 'button-reply.json', expect: msg('interactive_reply', 'Cancel', { content: { replyKind: 'button', id: 'cancel-button' } }) }] },
  { name: 'list reply', steps: [{ file: 'list-reply.json', expect: msg('interactive_reply', 'Priority Mail Express', { content: { replyKind: 'list', id: 'priority_express' } }) }] },
  { name: 'template quick reply', steps: [{ file: 'quick-reply-button.json', expect: msg('interactive_reply', 'Stop promotions', { content: { payload: 'STOP_PROMOS' } }) }] },
  { name: 'flow reply', steps: [{ file: 'flow-reply.json', expect: msg('interactive_reply') }] },
  { name: 'chat opened for the first time (request_welcome)', steps: [{ file: 'request-welcome.json', expect: { kind: 'kept' } }] },
  { name: 'reaction, then taken back (empty emoji), again, then taken back (no emoji)', before: ['text.json'], steps: [
    { file: 'reaction.json', expect: { kind: 'reaction', emoji: '\u{1F62E}' } },
    { file: 'reaction-removed-empty.json', expect: { kind: 'reaction', emoji: null } },
    { file: 'reaction.json', expect: { kind: 'nothing' } },
    { file: 'reaction-removed-no-emoji.json', expect: { kind: 'reaction', emoji: null } },
  ] },
  { name: 'reaction to the business’s message', outbound: true, steps: [{ file: 'reaction.json', expect: { kind: 'reaction', emoji: '\u{1F62E}' } }] },
  { name: 'text edit', before: ['text.json'], steps: [{ file: 'edit-text.json', expect: { kind: 'edit', text: 'Hello, is the shop open on Saturday?' } }] },
  { name: 'caption edit', before: ['image-with-caption.json'], steps: [{ file: 'edit-caption.json', expect: { kind: 'edit', text: 'The scratch on the left side of the lid' } }] },
  { name: 'customer deletes a message', before: ['text.json'], steps: [{ file: 'revoke.json', expect: { kind: 'deleted' } }] },
  { name: 'number change (no contacts array)', before: ['text.json'], steps: [{ file: 'system-number-changed.json', expect: { kind: 'system', systemKind: 'number_changed' } }] },
  { name: 'business-scoped id change (no from at all)', before: ['bsuid-text-with-number.json'], steps: [{ file: 'system-user-id-changed.json', expect: { kind: 'nothing' } }] },
  { name: 'security code change', before: ['text.json'], steps: [{ file: 'system-identity-changed.json', expect: { kind: 'system' } }] },
  { name: 'number + business-scoped id + username', steps: [{ file: 'bsuid-text-with-number.json', expect: msg('text', 'Hey', { phone: '+919810218674' }) }] },
  { name: 'business-scoped id only (number hidden)', steps: [{ file: 'bsuid-only-text.json', expect: msg('text', 'Olá, vocês entregam em Campinas?', { phone: null, handle: 'BR.1502576394655843' }) }] },
  { name: 'statuses with conversation and pricing, then read with a business-scoped id', outbound: true, steps: [
    { file: 'status-sent.json', expect: { kind: 'status', status: 'sent' } },
    { file: 'status-delivered.json', expect: { kind: 'status', status: 'delivered' } },
    { file: 'status-read-bsuid.json', expect: { kind: 'status', status: 'read' } },
  ] },
  { name: 'status with callback data', outbound: true, steps: [{ file: 'status-sent-with-callback-data.json', expect: { kind: 'status', status: 'sent' } }] },
  { name: 'failed status with errors[]', outbound: true, steps: [{ file: 'status-failed.json', expect: { kind: 'status', status: 'failed' } }] },
  { name: 'Coexistence echo (smb_message_echoes)', steps: [{ file: 'smb-echo-text.json', expect: { kind: 'business', contentType: 'text', text: 'Your table for 4 is booked for 8 pm' } }] },
];

const evolutionScenarios: Scenario[] = [
  { name: 'conversation', steps: [{ file: 'upsert-conversation.json', expect: msg('text', 'Oi, vocês abrem no domingo?', { phone: '+5511999991111' }) }] },
  { name: 'extended text quoting a message we do not have', steps: [{ file: 'upsert-extended-text-reply.json', expect: msg('text', 'Esse aqui, por favor') }] },
  { name: 'image by URL (no base64)', steps: [{ file: 'upsert-image-url.json', expect: msg('image', 'Comprovante do Pix', { content: { mimeType: 'image/jpeg' } }) }] },
  { name: 'voice note', steps: [{ file: 'upsert-audio-ptt.json', expect: msg('audio', undefined, { content: { voice: true } }) }] },
  { name: 'document', steps: [{ file: 'upsert-document.json', expect: msg('document', undefined, { content: { filename: 'orcamento.pdf' } }) }] },
  { name: 'location', steps: [{ file: 'upsert-location.json', expect: msg('location', undefined, { content: { latitude: -23.561684, longitude: -46.655981 } }) }] },
  { name: 'contact card', steps: [{ file: 'upsert-contact.json', expect: msg('contacts') }] },
  { name: 'sticker', steps: [{ file: 'upsert-sticker.json', expect: msg('sticker') }] },
  { name: '@lid sender with remoteJidAlt', steps: [{ file: 'upsert-lid-with-alt.json', expect: msg('text', 'Oi, é a Duda (LID)', { phone: '+5511999991111' }) }] },
  { name: 'typed on the business phone', before: ['upsert-conversation.json'], steps: [{ file: 'upsert-from-me-phone.json', expect: { kind: 'business', contentType: 'text', text: 'Pode passar amanhã às 10h' } }] },
  { name: 'reaction, then taken back', before: ['upsert-conversation.json'], steps: [
    { file: 'upsert-reaction.json', expect: { kind: 'reaction', emoji: '👍' } },
    { file: 'upsert-reaction-removed.json', expect: { kind: 'reaction', emoji: null } },
  ] },
  { name: 'customer edit (messages.edited, keyed from their side)', before: ['upsert-conversation.json'], steps: [{ file: 'messages-edited.json', expect: { kind: 'edit', text: 'Oi, vocês abrem no sábado?' } }] },
  { name: 'customer edit upserted as editedMessage', before: ['upsert-conversation.json'], steps: [{ file: 'upsert-edited-message.json', expect: { kind: 'edit', text: 'Oi, vocês abrem no feriado?' } }] },
  { name: 'customer edit WhatsApp encrypted (unreadable)', before: ['upsert-conversation.json'], steps: [
    { file: 'upsert-secret-encrypted-edit.json', expect: { kind: 'nothing' } },
    { file: 'messages-update-no-status.json', expect: { kind: 'nothing' } },
  ] },
  { name: 'customer deletes (protocolMessage REVOKE)', before: ['upsert-conversation.json'], steps: [{ file: 'upsert-revoke.json', expect: { kind: 'deleted' } }] },
  { name: 'customer deletes (messages.delete)', before: ['upsert-conversation.json'], steps: [{ file: 'messages-delete.json', expect: { kind: 'deleted' } }] },
  { name: 'customer deletes (messages.update DELETED)', before: ['upsert-conversation.json'], steps: [{ file: 'messages-update-deleted.json', expect: { kind: 'deleted' } }] },
  { name: 'receipts', outbound: true, steps: [
    { file: 'messages-update-server-ack.json', expect: { kind: 'status', status: 'sent' } },
    { file: 'messages-update-delivery-ack.json', expect: { kind: 'status', status: 'delivered' } },
    { file: 'messages-update-read.json', expect: { kind: 'status', status: 'read' } },
  ] },
  { name: 'events that are not messages', before: ['upsert-conversation.json'], steps: [
    { file: 'contacts-upsert.json', expect: { kind: 'nothing' } },
    { file: 'contacts-update-object.json', expect: { kind: 'nothing' } },
    { file: 'presence-update.json', expect: { kind: 'nothing' } },
    { file: 'connection-update.json', expect: { kind: 'nothing' } },
    { file: 'chats-upsert.json', expect: { kind: 'nothing' } },
  ] },
  { name: '"apikey": null in the body', steps: [{ file: 'upsert-apikey-null.json', expect: msg('text', 'Mensagem de instância sem chave no corpo') }] },
];

let t: TestApp;
const closers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500 });
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await t.close();
});
const db = () => t.app.ctx.db;

interface Harness {
  ws: TestWorkspace;
  channelId: string;
  dir: 'cloud' | 'evolution';
  /** Posts one body as the provider would; resolves to the HTTP status. */
  post(raw: string): Promise<number>;
  /** The customer writes now (a generated body: the fixtures' own timestamps are long past, so their window is closed). */
  customerWritesNow(): Promise<void>;
  /** The business sends a message; resolves to its provider id. */
  sendOutbound(contactId: string): Promise<{ id: string; providerId: string }>;
  /** Raw routing/id substitutions applied to every fixture. */
  subs: [string, string][];
}

async function cloudHarness(): Promise<Harness> {
  const phoneNumberId = uniquePhoneNumberId();
  const fake: CloudApiFake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `a-${phoneNumberId}` });
  closers.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
  expect(created.status).toBe(201);
  const url = `${t.baseUrl}/webhooks/whatsapp`;
  return {
    ws,
    channelId: created.body.id,
    dir: 'cloud',
    subs: [[CLOUD_NUMBER_ID, phoneNumberId]],
    post: async (raw) => (await sendCloudWebhook(url, null, { appSecret: fake.appSecret, rawBody: raw })).status,
    async customerWritesNow() {
      expect((await fake.sendWebhook(url, fake.webhooks.inboundText({ from: '16505551234', body: 'Any news on my order?' }))).status).toBe(200);
    },
    async sendOutbound(contactId) {
      fake.openServiceWindow('16505551234');
      const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId: created.body.id, text: 'Your order has shipped' } });
      expect(sent.status).toBe(202);
      await settle(t);
      const message = await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent });
      return { id: sent.body.id, providerId: message.body.delivery.providerMessageId };
    },
  };
}

let evoSeq = 0;
async function evolutionHarness(): Promise<Harness> {
  evoSeq++;
  const fake: EvolutionApiFake = await startEvolutionApiFake({ apiKey: `tp-${process.pid}-${evoSeq}`, instance: `tp-${process.pid}-${evoSeq}`, ownNumber: EVO_OWN });
  closers.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'evolution', name: 'Gateway', defaultHoldSeconds: 0, config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
  });
  expect(created.status).toBe(201);
  const url = `${t.baseUrl}${created.body.provider.webhookPath}`;
  return {
    ws,
    channelId: created.body.id,
    dir: 'evolution',
    subs: [[`"${EVO_KEY}"`, JSON.stringify(fake.apiKey)], ['"instance": "sales"', `"instance": ${JSON.stringify(fake.instance)}`]],
    post: async (raw) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', apikey: fake.apiKey }, body: raw });
      await response.arrayBuffer();
      return response.status;
    },
    async customerWritesNow() {
      expect((await fake.sendWebhook(url, fake.webhooks.upsert({ from: '5511999991111', text: 'Alguma novidade do meu pedido?' }))).status).toBe(200);
    },
    async sendOutbound(contactId) {
      const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId: created.body.id, text: 'Your order has shipped' } });
      expect(sent.status).toBe(202);
      await settle(t);
      const message = await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent });
      expect(message.body.status, JSON.stringify(message.body)).toBe('sent');
      return { id: sent.body.id, providerId: fake.sent.at(-1)!.id };
    },
  };
}

const firstMessageId = (dir: string, file: string): string => {
  const body = JSON.parse(fixture(dir, file));
  return dir === 'cloud' ? body.entry[0].changes[0].value.messages[0].id : body.data.key.id;
};

async function conversationsOf(ws: TestWorkspace) {
  const list = await call(t, 'GET', '/api/v1/conversations', { token: ws.tokens.agent });
  expect(list.status).toBe(200);
  return list.body.items as { id: string; unreadCount: number; contact: { id: string; phone: string | null; handle: string } }[];
}
// biome-ignore lint/suspicious/noExplicitAny: assertions read the API's JSON freely
async function threadOf(ws: TestWorkspace, conversationId: string): Promise<any[]> {
  const page = await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token: ws.tokens.agent });
  expect(page.status).toBe(200);
  return page.body.items.slice().reverse();
}
const deliveriesOf = (channelId: string) =>
  db().selectFrom('webhook_deliveries').select(['body', 'body_size', 'outcome']).where(sql<boolean>`channel_ids @> ${[channelId]}::uuid[]`).orderBy('seq').execute();

interface Snapshot {
  conversations: { id: string; unreadCount: number; window: string | null; contactId: string; phone: string | null; handle: string }[];
  // biome-ignore lint/suspicious/noExplicitAny: API JSON
  messages: any[];
  unread: number;
}
async function snapshot(h: Harness): Promise<Snapshot> {
  const list = await conversationsOf(h.ws);
  const conversations = [];
  const messages = [];
  for (const c of list) {
    const row = await db().selectFrom('conversations').select('customer_last_message_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    conversations.push({ id: c.id, unreadCount: c.unreadCount, window: row.customer_last_message_at?.toISOString() ?? null, contactId: c.contact.id, phone: c.contact.phone, handle: c.contact.handle });
    messages.push(...(await threadOf(h.ws, c.id)));
  }
  return { conversations, messages, unread: list.reduce((n, c) => n + c.unreadCount, 0) };
}

async function runScenario(makeHarness: () => Promise<Harness>, scenario: Scenario) {
  const h = await makeHarness();
  const subs = [...h.subs];
  const deliver = async (file: string) => {
    let raw = fixture(h.dir, file);
    for (const [from, to] of subs) raw = raw.split(from).join(to);
    const before = (await deliveriesOf(h.channelId)).length;
    expect(await h.post(raw), `${file}: accepted`).toBe(200);
    await settle(t);
    const after = await deliveriesOf(h.channelId);
    expect(after.length, `${file}: raw delivery stored`).toBe(before + 1);
    const kept = after.at(-1)!;
    expect(kept.body, `${file}: raw body kept`).not.toBeNull();
    if (h.dir === 'cloud') expect(Buffer.from(kept.body!).toString('utf8'), `${file}: kept byte for byte`).toBe(raw);
    else expect(JSON.parse(Buffer.from(kept.body!).toString('utf8')).event, `${file}: kept`).toBe(JSON.parse(raw).event);
  };

  for (const file of scenario.before ?? []) await deliver(file);
  if (scenario.before?.length) subs.push([h.dir === 'cloud' ? 'wamid.TARGET' : 'EVO-TARGET', firstMessageId(h.dir, scenario.before[0]!)]);
  let outboundId: string | undefined;
  if (scenario.outbound) {
    await h.customerWritesNow();
    await settle(t);
    const contact = (await conversationsOf(h.ws))[0]!.contact;
    await call(t, 'POST', `/api/v1/conversations/${(await conversationsOf(h.ws))[0]!.id}/read`, { token: h.ws.tokens.agent, headers: { 'content-type': 'application/json' } });
    const sent = await h.sendOutbound(contact.id);
    outboundId = sent.id;
    subs.push([h.dir === 'cloud' ? 'wamid.OUTBOUND' : 'EVO-OUTBOUND', sent.providerId]);
    subs.push([h.dir === 'cloud' ? 'wamid.TARGET' : 'EVO-TARGET', sent.providerId]);
  }
  const targetId = async (): Promise<string> => {
    if (outboundId) return outboundId;
    const all = (await snapshot(h)).messages;
    const providerTarget = firstMessageId(h.dir, scenario.before![0]!);
    const row = await db().selectFrom('messages').select('id').where('channel_id', '=', h.channelId).where('provider_message_id', '=', providerTarget).executeTakeFirstOrThrow();
    expect(all.some((m) => m.id === row.id)).toBe(true);
    return row.id;
  };

  for (const step of scenario.steps) {
    const label = `${scenario.name} / ${step.file}`;
    const before = await snapshot(h);
    await deliver(step.file);
    const after = await snapshot(h);
    const added = after.messages.filter((m) => !before.messages.some((b) => b.id === m.id));
    const e = step.expect;
    if (nonMessage(e)) {
      // Never the customer writing: no unread, no window opened or moved, on any conversation.
      expect(after.unread, `${label}: no unread added`).toBeLessThanOrEqual(before.unread);
      for (const c of after.conversations) {
        const was = before.conversations.find((b) => b.id === c.id);
        expect(c.window, `${label}: window untouched`).toBe(was ? was.window : null);
      }
    }
    switch (e.kind) {
      case 'message': {
        expect(added, `${label}: one new message`).toHaveLength(1);
        const [m] = added;
        expect(m, label).toMatchObject({ direction: 'in', contentType: e.contentType });
        if (e.text !== undefined) expect(m.text, label).toBe(e.text);
        if (e.content) expect(m.content, label).toMatchObject(e.content);
        expect(after.unread, `${label}: one unread`).toBe(before.unread + 1);
        const conversation = after.conversations.find((c) => after.messages.includes(m) && c.window !== null);
        expect(conversation, `${label}: window opened`).toBeDefined();
        if (e.phone !== undefined) expect(after.conversations.map((c) => c.phone), label).toContain(e.phone);
        if (e.handle !== undefined) expect(after.conversations.map((c) => c.handle), label).toContain(e.handle);
        break;
      }
      case 'business':
        expect(added, `${label}: one new message`).toHaveLength(1);
        expect(added[0], label).toMatchObject({ direction: 'out', origin: 'app', contentType: e.contentType, text: e.text });
        break;
      case 'status': {
        expect(added, `${label}: no new message`).toHaveLength(0);
        const m = await call(t, 'GET', `/api/v1/messages/${outboundId}`, { token: h.ws.tokens.agent });
        expect(m.body.status, label).toBe(e.status);
        break;
      }
      case 'reaction': {
        expect(added, `${label}: no new message`).toHaveLength(0);
        const id = await targetId();
        const m = after.messages.find((x) => x.id === id);
        if (e.emoji === null) expect(m.customerReaction, label).toBeNull();
        else expect(m.customerReaction, label).toMatchObject({ emoji: e.emoji });
        break;
      }
      case 'edit': {
        expect(added, `${label}: no new message`).toHaveLength(0);
        const id = await targetId();
        expect(after.messages.find((x) => x.id === id), label).toMatchObject({ text: e.text, edited: true });
        break;
      }
      case 'deleted': {
        expect(added, `${label}: no new message`).toHaveLength(0);
        const id = await targetId();
        const m = await call(t, 'GET', `/api/v1/messages/${id}`, { token: h.ws.tokens.agent });
        expect(m.body.deletedByCustomerAt, label).not.toBeNull();
        break;
      }
      case 'system':
        expect(added, `${label}: one system line`).toHaveLength(1);
        expect(added[0], label).toMatchObject({ contentType: 'system' });
        if (e.systemKind) expect(added[0].content, label).toMatchObject({ systemKind: e.systemKind });
        break;
      case 'nothing':
        expect(added.filter((m) => m.contentType !== 'system'), `${label}: no new message`).toHaveLength(0);
        break;
      case 'kept':
        break;
    }
  }
}

describe('third-party webhook bodies replayed: Cloud API', () => {
  for (const scenario of cloudScenarios) it(scenario.name, () => runScenario(cloudHarness, scenario));
});

describe('third-party webhook bodies replayed: Evolution API v2', () => {
  for (const scenario of evolutionScenarios) it(scenario.name, () => runScenario(evolutionHarness, scenario));
});
