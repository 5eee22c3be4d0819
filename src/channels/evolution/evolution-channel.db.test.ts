import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvolutionApiFake, startEvolutionApiFake } from '../../test-support/fakes/evolution-api-fake.ts';
import { evolutionMessageId } from '../../test-support/fakes/evolution-api-webhooks.ts';
import {
  call,
  countMessages,
  createTestWorkspace,
  settle,
  startTestApp,
  type TestApp,
  type TestWorkspace,
} from '../../test-support/test-app.ts';

/** The Evolution API gateway end to end: send, delete for everyone, edit, and its webhooks. */
let t: TestApp;
const fakes: EvolutionApiFake[] = [];

beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500 });
});
afterAll(async () => {
  for (const f of fakes) await f.close();
  await t.close();
});

interface EvolutionSetup {
  ws: TestWorkspace;
  fake: EvolutionApiFake;
  channelId: string;
  webhookUrl: string;
  contactId: string;
}

let seq = 0;
async function setupEvolution(): Promise<EvolutionSetup> {
  seq++;
  const fake = await startEvolutionApiFake({ apiKey: `evo-key-${process.pid}-${seq}`, instance: `errata-${process.pid}-${seq}` });
  fakes.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'evolution', name: 'Gateway', config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
  });
  expect(created.status).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain(fake.apiKey);
  const webhookUrl = `${t.baseUrl}${created.body.provider.webhookPath}`;
  fake.setWebhookUrl(webhookUrl);
  const contact = await call(t, 'POST', '/api/v1/contacts', {
    token: ws.tokens.admin,
    body: { name: 'Ana Souza', phone: '+55 11 99999 0001', language: 'en' },
  });
  return { ws, fake, channelId: created.body.id, webhookUrl, contactId: contact.body.id };
}

async function sendAndSettle(s: EvolutionSetup, text: string) {
  const accepted = await call(t, 'POST', '/api/v1/messages', {
    token: s.ws.tokens.agent,
    body: { contactId: s.contactId, channelId: s.channelId, text },
  });
  expect(accepted.status).toBe(202);
  await settle(t);
  return accepted.body.id as string;
}

const get = (s: EvolutionSetup, id: string) => call(t, 'GET', `/api/v1/messages/${id}`, { token: s.ws.tokens.agent });

describe('Evolution API channel', () => {
  it('sends text with the apikey header and keeps the key id and remoteJid', async () => {
    const s = await setupEvolution();
    const id = await sendAndSettle(s, 'Your parcel left the depot.');
    const request = s.fake.received.find((r) => r.path.startsWith('/message/sendText/'))!;
    expect(request.path).toBe(`/message/sendText/${s.fake.instance}`);
    expect(request.headers.apikey).toBe(s.fake.apiKey);
    expect(request.body).toEqual({ number: '5511999990001', text: 'Your parcel left the depot.' });
    const message = await get(s, id);
    expect(message.body.status).toBe('sent');
    expect(message.body.delivery.providerMessageId).toBe(s.fake.sent[0]!.id);
    const row = await t.app.ctx.db.selectFrom('messages').select('provider_chat_id').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.provider_chat_id).toBe('5511999990001@s.whatsapp.net');
  });

  it('deletes for everyone through the gateway but never claims it worked', async () => {
    const s = await setupEvolution();
    s.fake.setBehaviour({ revokesIgnored: true });
    const id = await sendAndSettle(s, 'Le code de la porte est 4512');
    const deleted = await call(t, 'POST', `/api/v1/messages/${id}/delete`, {
      token: s.ws.tokens.agent,
      body: { scope: 'everyone', reason: 'confidential' },
    });
    expect(deleted.status).toBe(200);
    await settle(t);
    const request = s.fake.received.find((r) => r.method === 'DELETE')!;
    expect(request.path).toBe(`/chat/deleteMessageForEveryone/${s.fake.instance}`);
    expect(request.body).toEqual({ id: s.fake.sent[0]!.id, remoteJid: '5511999990001@s.whatsapp.net', fromMe: true });
    // The customer's phone ignored it, and Errata does not pretend otherwise.
    expect(s.fake.revokes[0]!.effective).toBe(false);
    const message = await get(s, id);
    expect(message.body.deletion.outcomes).toEqual([{ deviceId: null, deviceLabel: null, outcome: 'unknown', resolvedAt: null }]);
    const events = await call(t, 'GET', `/api/v1/messages/${id}/events`, { token: s.ws.tokens.agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain('message.revoke_requested');
  });

  it('a delete the gateway cannot take is retried on schedule, never before Retry-After, then shown as refused', async () => {
    const s = await setupEvolution();
    const id = await sendAndSettle(s, 'Le code de la porte est 4512');
    s.fake.failNext({ kind: 'rateLimit', retryAfterSeconds: 30 });
    s.fake.failNext({ kind: 'disconnected' }, 7);
    const deleted = await call(t, 'POST', `/api/v1/messages/${id}/delete`, { token: s.ws.tokens.agent, body: { scope: 'everyone', reason: 'confidential' } });
    expect(deleted.status).toBe(200);
    const calls = () => s.fake.received.filter((r) => r.method === 'DELETE').length;
    await settle(t);
    expect(calls()).toBe(1);
    t.clock.advance(29);
    await settle(t);
    expect(calls()).toBe(1);
    t.clock.advance(1);
    await settle(t);
    expect(calls()).toBe(2);
    // Attempts 3 to 8 come 4, 8 … 128 s (+ up to 20 %) apart; the eighth is the last.
    for (let step = 0; step < 12; step++) {
      t.clock.advance(160);
      await settle(t);
    }
    expect(calls()).toBe(8);
    const message = await get(s, id);
    expect(message.body.providerErrors.at(-1)).toMatchObject({ action: 'revoke', code: 'provider_unavailable', providerCode: '500', attempts: 8 });
    const events = await call(t, 'GET', `/api/v1/messages/${id}/events`, { token: s.ws.tokens.agent });
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toContain('message.revoke_refused');
    expect(types).not.toContain('message.revoke_requested');
  });

  it('edits through the gateway; a refusal is recorded and shown', async () => {
    const s = await setupEvolution();
    const id = await sendAndSettle(s, 'Rendez-vous lundi');
    const edited = await call(t, 'POST', `/api/v1/messages/${id}/edit`, { token: s.ws.tokens.agent, body: { text: 'Rendez-vous mardi' } });
    expect(edited.status).toBe(200);
    await settle(t);
    const update = s.fake.received.find((r) => r.path.startsWith('/chat/updateMessage/'))!;
    expect(update.method).toBe('POST');
    expect(update.body).toEqual({
      number: '5511999990001',
      key: { id: s.fake.sent[0]!.id, remoteJid: '5511999990001@s.whatsapp.net', fromMe: true },
      text: 'Rendez-vous mardi',
    });

    s.fake.failNext({ kind: 'custom', status: 400, body: { status: 400, error: 'Bad Request', response: { message: ['Message is older than 15 minutes'] } } });
    await call(t, 'POST', `/api/v1/messages/${id}/edit`, { token: s.ws.tokens.agent, body: { text: 'Rendez-vous mercredi' } });
    await settle(t);
    const message = await get(s, id);
    expect(message.body.providerErrors.at(-1)).toMatchObject({ action: 'edit', code: 'invalid_request', providerCode: '400' });
    const events = await call(t, 'GET', `/api/v1/messages/${id}/events`, { token: s.ws.tokens.agent });
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toContain('message.edit_requested');
    expect(types).toContain('message.edit_refused');
  });

  it('retries a gateway failure, then sends once', async () => {
    const s = await setupEvolution();
    s.fake.failNext({ kind: 'disconnected' });
    const id = await sendAndSettle(s, 'Hello');
    expect((await get(s, id)).body.status).toBe('queued');
    t.clock.advance(3);
    await settle(t);
    expect((await get(s, id)).body.status).toBe('sent');
    expect(s.fake.sent).toHaveLength(1);
  });

  it('an ack that beats the answer to the send waits for it, then moves the message forward', async () => {
    const s = await setupEvolution();
    s.fake.failNext({ kind: 'acceptThenDelay', ms: 400 });
    const accepted = await call(t, 'POST', '/api/v1/messages', {
      token: s.ws.tokens.agent,
      body: { contactId: s.contactId, channelId: s.channelId, text: 'Your parcel leaves today' },
    });
    expect(accepted.status).toBe(202);
    const sending = settle(t);
    while (s.fake.sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    // The gateway reports delivery while its answer to sendText is still on the way.
    const ack = await s.fake.ack(s.fake.sent[0]!.id, 'DELIVERY_ACK');
    expect(ack.status).toBe(200);
    await t.app.providerEvents.drain({ workspaceIds: [s.ws.workspaceId] });
    const stored = await t.app.ctx.db.selectFrom('provider_events').select(['pending', 'retry_at']).where('channel_id', '=', s.channelId).executeTakeFirstOrThrow();
    expect(stored.pending).toBe(true);
    expect(stored.retry_at).not.toBeNull();
    await sending;
    expect((await get(s, accepted.body.id)).body.status).toBe('sent');
    t.clock.advance(1);
    await settle(t);
    expect((await get(s, accepted.body.id)).body.status).toBe('delivered');
    expect(s.fake.sent).toHaveLength(1);
  });

  it('a number not on WhatsApp fails at once with recipient_unreachable', async () => {
    const s = await setupEvolution();
    s.fake.failNext({
      kind: 'custom',
      status: 400,
      body: { status: 400, error: 'Bad Request', response: { message: [{ jid: '5511999990001@s.whatsapp.net', exists: false, number: '5511999990001' }] } },
    });
    const id = await sendAndSettle(s, 'Hello');
    const message = await get(s, id);
    expect(message.body.status).toBe('failed');
    expect(message.body.failure.code).toBe('recipient_unreachable');
  });
});

describe('Evolution webhooks', () => {
  it('checks the apikey (header, else body) and stores nothing without it', async () => {
    const s = await setupEvolution();
    const payload = s.fake.webhooks.upsert({ from: '5511999990002', text: 'Oi' });
    const wrong = await s.fake.sendWebhook(s.webhookUrl, payload, { apikeyHeader: 'wrong' });
    expect(wrong.status).toBe(401);
    const noKey = await s.fake.sendWebhook(s.webhookUrl, { ...payload, apikey: '' }, { apikeyHeader: null });
    expect(noKey.status).toBe(401);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(0);
    const bodyKey = await s.fake.sendWebhook(s.webhookUrl, payload, { apikeyHeader: null });
    expect(bodyKey.status).toBe(200);
    await settle(t);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(1);
    const unknownChannel = await s.fake.sendWebhook(`${t.baseUrl}/webhooks/evolution/00000000-0000-4000-8000-000000000000`, payload);
    expect(unknownChannel.status).toBe(404);
  });

  it('takes new messages, acks (forward only, repeats ignored), customer deletes (both shapes) and edits', async () => {
    const s = await setupEvolution();
    const id = await sendAndSettle(s, 'Your order is ready');
    const keyId = s.fake.sent[0]!.id;
    await s.fake.ack(keyId, 'DELIVERY_ACK');
    await s.fake.ack(keyId, 'READ');
    const repeat = await s.fake.ack(keyId, 'READ');
    expect(JSON.parse(repeat.responseBody)).toMatchObject({ duplicates: 1 });
    await s.fake.ack(keyId, 'DELIVERY_ACK');
    await settle(t);
    expect((await get(s, id)).body.status).toBe('read');

    const first = evolutionMessageId();
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.upsert({ from: '5511999990001', text: 'Can I come Monday?', id: first }), { byEvents: true });
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.edited({ id: first, remoteJid: '5511999990001@s.whatsapp.net', text: 'Can I come Tuesday?' }));
    await settle(t);
    const inbound = await t.app.ctx.db.selectFrom('messages').select('id').where('provider_message_id', '=', first).executeTakeFirstOrThrow();
    let message = await get(s, inbound.id);
    expect(message.body.direction).toBe('in');
    expect(message.body.contactId).toBe(s.contactId);
    expect(message.body.versions.map((v: { text: string }) => v.text)).toEqual(['Can I come Monday?', 'Can I come Tuesday?']);

    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.delete({ id: first, remoteJid: '5511999990001@s.whatsapp.net', shape: 'wrapped' }));
    await settle(t);
    message = await get(s, inbound.id);
    expect(message.body.deletedByCustomerAt).not.toBeNull();

    const second = evolutionMessageId();
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.upsert({ from: '5511999990001', text: 'Oops', id: second }));
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.delete({ id: second, remoteJid: '5511999990001@s.whatsapp.net', shape: 'bare-key' }));
    await settle(t);
    const other = await t.app.ctx.db.selectFrom('messages').select('id').where('provider_message_id', '=', second).executeTakeFirstOrThrow();
    expect((await get(s, other.id)).body.deletedByCustomerAt).not.toBeNull();
  });

  it('answers 200 and ignores events it does not act on; malformed bodies are 400', async () => {
    const s = await setupEvolution();
    const connection = { ...s.fake.webhooks.upsert({ from: '5511999990003', text: 'x' }), event: 'connection.update', data: { state: 'open' } };
    const other = await s.fake.sendWebhook(s.webhookUrl, connection as unknown as Parameters<typeof s.fake.sendWebhook>[1]);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.responseBody)).toMatchObject({ stored: 0, ignored: 1 });
    // Our own sends echoed back by the gateway (source "web") are not messages of their own.
    const echo = await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.upsertContent({ from: '5511999990003', message: { conversation: 'sent by Errata' }, messageType: 'conversation', fromMe: true, source: 'web' }));
    expect(JSON.parse(echo.responseBody)).toMatchObject({ stored: 0, ignored: 1 });
    const malformed = await fetch(s.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', apikey: s.fake.apiKey }, body: '{"event":' });
    expect(malformed.status).toBe(400);
    await settle(t);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(0);
    // Typed on the business's phone (source "android"): the business's message, sent from the app.
    const typed = await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.upsert({ from: '5511999990003', text: 'typed on the phone', fromMe: true }));
    expect(JSON.parse(typed.responseBody)).toMatchObject({ stored: 1, ignored: 0 });
    await settle(t);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(1);
  });
});
