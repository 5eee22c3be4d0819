import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../test-support/fakes/cloud-api-webhooks.ts';
import {
  call,
  cloudChannelBody,
  countMessages,
  createTestWorkspace,
  settle,
  startTestApp,
  TEST_METRICS_TOKEN,
  type TestApp,
  type TestWorkspace,
  uniquePhoneNumberId,
} from '../../test-support/test-app.ts';

/**
 * The Cloud API channel end to end over real HTTP: Errata's server on one side, the faithful
 * fake of the Graph API on the other, webhooks signed as Meta signs them.
 */
let t: TestApp;
const fakes: CloudApiFake[] = [];

beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500 });
});
afterAll(async () => {
  for (const f of fakes) await f.close();
  await t.close();
});

interface CloudSetup {
  ws: TestWorkspace;
  fake: CloudApiFake;
  channelId: string;
  webhookUrl: string;
}

async function setupCloud(options: { ratePerSecond?: number; defaultHoldSeconds?: number } = {}): Promise<CloudSetup> {
  const phoneNumberId = uniquePhoneNumberId();
  const fake = await startCloudApiFake({
    phoneNumberId,
    appSecret: `secret-${phoneNumberId}`,
    verifyToken: `verify-${phoneNumberId}`,
    accessToken: `token-${phoneNumberId}`,
    serviceWindow: 'off',
    throughputPerSecond: 1_000,
  });
  fakes.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: cloudChannelBody(fake, {
      defaultHoldSeconds: options.defaultHoldSeconds ?? 0,
      ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
    }),
  });
  expect(created.status).toBe(201);
  return { ws, fake, channelId: created.body.id, webhookUrl: `${t.baseUrl}/webhooks/whatsapp` };
}

/** The customer writes first (opens the 24-hour window); answers their contact id. */
async function customerWrites(s: CloudSetup, from: string, body = 'Bonjour, où en est ma commande ?', profileName = 'Claire Martin') {
  const id = customerWamid();
  const delivery = await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.inboundText({ from, body, profileName, id }));
  expect(delivery.status).toBe(200);
  await settle(t);
  const contacts = await t.app.ctx.db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', s.ws.workspaceId)
    .where('phone', '=', `+${from}`)
    .execute();
  expect(contacts).toHaveLength(1);
  return { contactId: contacts[0]!.id, wamid: id };
}

async function send(s: CloudSetup, contactId: string, body: Record<string, unknown> = { text: 'Votre colis part demain.' }) {
  return call(t, 'POST', '/api/v1/messages', { token: s.ws.tokens.agent, body: { contactId, channelId: s.channelId, ...body } });
}

const messageRequests = (fake: CloudApiFake) => fake.received.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));

describe('channel setup', () => {
  it('stores secrets sealed and never returns them; one channel per number', async () => {
    const s = await setupCloud();
    const listed = await call(t, 'GET', '/api/v1/channels', { token: s.ws.tokens.admin });
    const text = JSON.stringify(listed.body);
    for (const secret of [s.fake.accessToken, s.fake.appSecret, s.fake.verifyToken]) expect(text).not.toContain(secret);
    const channel = listed.body.items.find((c: { id: string }) => c.id === s.channelId);
    expect(channel.provider).toMatchObject({ webhookPath: '/webhooks/whatsapp', ratePerSecond: 80 });
    expect(channel.provider.secretsStored).toEqual(['accessToken', 'appSecret', 'verifyToken']);
    expect(channel.capabilities).toEqual({ deleteForEveryone: false, edit: false, confirmsRevoke: false });

    const row = await t.app.ctx.db.selectFrom('channels').selectAll().where('id', '=', s.channelId).executeTakeFirstOrThrow();
    expect(row.secrets).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(s.fake.accessToken);

    const other = await createTestWorkspace(t);
    const again = await call(t, 'POST', '/api/v1/channels', {
      token: other.tokens.admin,
      body: {
        type: 'whatsapp-cloud',
        name: 'Same number',
        config: { phoneNumberId: channel.provider.settings.phoneNumberId, wabaId: '200000000000001', accessToken: 'a', appSecret: 'b', verifyToken: 'c' },
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('validates the configuration and lets only admins connect a number', async () => {
    const ws = await createTestWorkspace(t);
    const bad = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'whatsapp-cloud', name: 'x', config: { phoneNumberId: 'abc', wabaId: '1', accessToken: '' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const agent = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.agent,
      body: { type: 'whatsapp-cloud', name: 'x', config: { phoneNumberId: uniquePhoneNumberId(), wabaId: '20000000001', accessToken: 'a', appSecret: 'b', verifyToken: 'c' } },
    });
    expect(agent.status).toBe(403);
  });

  it('rotates the access token without ever showing it', async () => {
    const s = await setupCloud();
    const rotated = await call(t, 'PATCH', `/api/v1/channels/${s.channelId}`, {
      token: s.ws.tokens.admin,
      body: { config: { accessToken: 'rotated-token-1' }, ratePerSecond: 250 },
    });
    expect(rotated.status).toBe(200);
    expect(JSON.stringify(rotated.body)).not.toContain('rotated-token-1');
    expect(rotated.body.provider.ratePerSecond).toBe(250);
    const wrongKind = await call(t, 'PATCH', `/api/v1/channels/${s.channelId}`, { token: s.ws.tokens.admin, body: { config: { apiKey: 'x' } } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.details).toEqual({ fields: ['apiKey'] });
    s.fake.setBehaviour({ accessToken: 'rotated-token-1' });
    const { contactId } = await customerWrites(s, '33612345001');
    expect((await send(s, contactId)).status).toBe(202);
    await settle(t);
    expect(messageRequests(s.fake).at(-1)?.headers.authorization).toBe('Bearer rotated-token-1');
  });
});

describe('sending', () => {
  it('sends the exact documented request and keeps the wamid', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345002');
    const accepted = await send(s, contactId);
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('queued');
    await settle(t);

    const requests = messageRequests(s.fake);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${s.fake.accessToken}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '33612345002',
      biz_opaque_callback_data: accepted.body.id,
      type: 'text',
      text: { preview_url: false, body: 'Votre colis part demain.' },
    });
    const message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('sent');
    expect(message.body.delivery).toMatchObject({ attempts: 1, providerMessageId: s.fake.accepted[0]!.wamid, lastError: null });
  });

  it('refuses free text outside the 24-hour window and suggests a template; a template goes through', async () => {
    const s = await setupCloud();
    const contact = await call(t, 'POST', '/api/v1/contacts', {
      token: s.ws.tokens.admin,
      body: { name: 'Paul Durand', phone: '+33 6 12 34 50 03', language: 'fr' },
    });
    const before = await countMessages(t, s.ws.workspaceId);
    const refused = await send(s, contact.body.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('outside_service_window');
    expect(refused.body.error.details).toMatchObject({ suggestion: 'template', customerLastMessageAt: null });
    expect(await countMessages(t, s.ws.workspaceId)).toBe(before);

    const french = await call(t, 'POST', '/api/v1/messages', {
      token: s.ws.tokens.agent,
      headers: { 'accept-language': 'fr' },
      body: { contactId: contact.body.id, channelId: s.channelId, text: 'Bonjour' },
    });
    expect(french.body.error.message).toContain('24 heures');

    const template = await send(s, contact.body.id, { template: { name: 'order_update', language: 'fr', parameters: ['Paul', 'A-1042'] } });
    expect(template.status).toBe(202);
    expect(template.body.contentType).toBe('template');
    expect(template.body.status, JSON.stringify(template.body.guard)).toBe('queued');
    await settle(t);
    expect(messageRequests(s.fake).at(-1)?.body).toMatchObject({
      type: 'template',
      to: '33612345003',
      template: {
        name: 'order_update',
        language: { code: 'fr' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Paul' }, { type: 'text', text: 'A-1042' }] }],
      },
    });
  });

  it('fails a held message whose window closed during the hold, without calling WhatsApp', async () => {
    const s = await setupCloud({ defaultHoldSeconds: 30 });
    const { contactId } = await customerWrites(s, '33612345004');
    t.clock.advance(86_400 - 10);
    const accepted = await send(s, contactId);
    expect(accepted.body.status).toBe('held');
    t.clock.advance(31);
    await settle(t);
    const message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('failed');
    expect(message.body.failure.code).toBe('outside_service_window');
    expect(messageRequests(s.fake)).toHaveLength(0);
  });

  it('retries a 5xx with backoff and the same idempotency key; honours Retry-After on 130429', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345005');
    s.fake.failNext({ kind: 'serverError', status: 502 });
    s.fake.failNext({ kind: 'rateLimit', retryAfterSeconds: 7 });
    const accepted = await send(s, contactId);
    await settle(t);
    let message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('queued');
    expect(message.body.delivery).toMatchObject({ attempts: 1, lastError: 'provider_unavailable' });

    t.clock.advance(3); // past the first backoff (2 s, up to 20 % jitter)
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.delivery).toMatchObject({ attempts: 2, lastError: 'rate_limited' });
    const retryAt = Date.parse(message.body.delivery.nextAttemptAt) - t.clock.now().getTime();
    expect(retryAt).toBeGreaterThanOrEqual(7_000);

    t.clock.advance(5);
    await settle(t);
    expect(messageRequests(s.fake)).toHaveLength(2);
    t.clock.advance(3);
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('sent');
    const requests = messageRequests(s.fake);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => (r.body as { biz_opaque_callback_data: string }).biz_opaque_callback_data))).toEqual(
      new Set([accepted.body.id]),
    );
    const events = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}/events`, { token: s.ws.tokens.agent });
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === 'message.send_attempt')).toHaveLength(3);
    expect(types.filter((x: string) => x === 'message.send_retry')).toHaveLength(2);
  });

  it('retries after a timeout; a permanent refusal fails at once with a neutral code in both languages', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345006');
    s.fake.failNext({ kind: 'hang' });
    const first = await send(s, contactId, { text: 'Premier message' });
    await settle(t);
    s.fake.releaseHung();
    let message = await call(t, 'GET', `/api/v1/messages/${first.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.delivery.lastError).toBe('timeout');
    t.clock.advance(3);
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${first.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('sent');

    s.fake.failNext({ kind: 'invalidToken' });
    const second = await send(s, contactId, { text: 'Deuxième message' });
    await settle(t);
    t.clock.advance(600);
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${second.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('failed');
    expect(message.body.failure.code).toBe('auth_failed');
    expect(message.body.delivery.attempts).toBe(1);
  });

  it('keeps the order of one conversation and never exceeds the number’s rate', async () => {
    const s = await setupCloud({ ratePerSecond: 5 });
    const contacts: string[] = [];
    for (let i = 0; i < 4; i++) contacts.push((await customerWrites(s, `3361234510${i}`)).contactId);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await send(s, contacts[i % 4]!, { text: `Message ${i}` })).body.id);
    await settle(t);
    const accepted = s.fake.accepted;
    expect(accepted).toHaveLength(12);
    const times = accepted.map((m) => m.at).sort((a, b) => a - b);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1_000);
    for (const contact of ['33612345100', '33612345101']) {
      const texts = accepted.filter((m) => m.waId === contact).map((m) => Number(m.text!.split(' ')[1]));
      expect(texts).toEqual([...texts].sort((a, b) => a - b));
    }
  }, 15_000);
});

describe('webhooks', () => {
  it('answers the verification handshake only with the right token', async () => {
    const s = await setupCloud();
    const ok = await s.fake.verifySubscription(s.webhookUrl, { challenge: '1158201444' });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('1158201444');
    const wrong = await s.fake.verifySubscription(s.webhookUrl, { verifyToken: 'nope', challenge: '42' });
    expect(wrong.status).toBe(403);
  });

  it('refuses a missing or wrong signature and stores nothing', async () => {
    const s = await setupCloud();
    const payload = s.fake.webhooks.inboundText({ from: '33612345200', body: 'Hello' });
    const missing = await s.fake.sendWebhook(s.webhookUrl, payload, { signature: null });
    const wrong = await s.fake.sendWebhook(s.webhookUrl, payload, { appSecret: 'not-the-secret' });
    const tampered = await s.fake.sendWebhook(s.webhookUrl, payload, {
      rawBody: JSON.stringify(payload).replace('Hello', 'Hellp'),
      signature: s.fake.sign(JSON.stringify(payload)),
    });
    for (const d of [missing, wrong, tampered]) {
      expect(d.status).toBe(401);
      expect(JSON.parse(d.responseBody).error.code).toBe('webhook_signature_invalid');
    }
    expect(await countMessages(t, s.ws.workspaceId)).toBe(0);
    const stored = await t.app.ctx.db.selectFrom('provider_events').select('seq').where('channel_id', '=', s.channelId).execute();
    expect(stored).toHaveLength(0);
  });

  it('moves statuses forward only, ignores duplicates, keeps failure errors', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345201');
    const a = await send(s, contactId, { text: 'A' });
    const b = await send(s, contactId, { text: 'B' });
    await settle(t);
    const [wa, wb] = s.fake.accepted.map((m) => m.wamid);

    await s.fake.deliverStatus(wa!, 'read', { targetUrl: s.webhookUrl });
    await settle(t);
    const late = await s.fake.deliverStatus(wa!, 'delivered', { targetUrl: s.webhookUrl });
    expect(late.status).toBe(200);
    const again = await s.fake.deliverStatus(wa!, 'read', { targetUrl: s.webhookUrl });
    expect(JSON.parse(again.responseBody)).toMatchObject({ duplicates: 1, stored: 0 });
    await settle(t);
    let message = await call(t, 'GET', `/api/v1/messages/${a.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('read');
    expect(message.body.deliveredAt).not.toBeNull();
    const events = await call(t, 'GET', `/api/v1/messages/${a.body.id}/events`, { token: s.ws.tokens.agent });
    expect(events.body.items.filter((e: { type: string }) => e.type === 'message.read')).toHaveLength(1);

    await s.fake.deliverStatus(wb!, 'failed', {
      targetUrl: s.webhookUrl,
      errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } }],
    });
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${b.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('failed');
    expect(message.body.failure.code).toBe('recipient_unreachable');
    expect(message.body.providerErrors[0]).toMatchObject({ code: '131026', status: 'failed' });
  });

  it('recognises its own message by the idempotency key when the answer was lost, and does not send it twice', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345202');
    s.fake.failNext({ kind: 'acceptThenDrop' });
    const accepted = await send(s, contactId);
    await settle(t);
    expect(s.fake.accepted).toHaveLength(1);
    let message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('queued');

    const wamid = s.fake.accepted[0]!.wamid;
    await s.fake.deliverStatus(wamid, 'delivered', { targetUrl: s.webhookUrl });
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: s.ws.tokens.agent });
    expect(message.body.status).toBe('delivered');
    expect(message.body.delivery.providerMessageId).toBe(wamid);
    t.clock.advance(600);
    await settle(t);
    expect(s.fake.accepted).toHaveLength(1);
    expect(s.fake.duplicateReport().duplicateKeys).toEqual([]);
  });

  it('shows customer deletes and edits while keeping the original; stores unsupported content', async () => {
    const s = await setupCloud();
    const { contactId, wamid } = await customerWrites(s, '33612345203', 'Livrez lundi');
    const edited = await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.edit({ from: '33612345203', originalMessageId: wamid, body: 'Livrez mardi' }));
    expect(edited.status).toBe(200);
    await settle(t);
    const conversation = await t.app.ctx.db.selectFrom('messages').select(['id', 'conversation_id']).where('provider_message_id', '=', wamid).executeTakeFirstOrThrow();
    let message = await call(t, 'GET', `/api/v1/messages/${conversation.id}`, { token: s.ws.tokens.agent });
    expect(message.body.text).toBe('Livrez mardi');
    expect(message.body.edited).toBe(true);
    expect(message.body.versions.map((v: { text: string }) => v.text)).toEqual(['Livrez lundi', 'Livrez mardi']);

    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.revoke({ from: '33612345203', originalMessageId: wamid }));
    await settle(t);
    message = await call(t, 'GET', `/api/v1/messages/${conversation.id}`, { token: s.ws.tokens.agent });
    expect(message.body.deletedByCustomerAt).not.toBeNull();
    expect(message.body.versions).toHaveLength(2);

    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.unsupported({ from: '33612345203' }));
    await settle(t);
    const thread = await call(t, 'GET', `/api/v1/conversations/${conversation.conversation_id}/messages`, { token: s.ws.tokens.agent });
    const unsupported = thread.body.items.find((m: { contentType: string }) => m.contentType === 'unsupported');
    expect(unsupported.providerErrors[0].code).toBe('131051');
    expect(thread.body.items.every((m: { contactId: string }) => m.contactId === contactId)).toBe(true);
  });

  it('an edit that overtakes the message it edits waits for it; one about a message that never comes is given up', async () => {
    const s = await setupCloud();
    const from = '33612345204';
    await customerWrites(s, from, 'Bonjour');
    const wamid = customerWamid();
    // Webhook deliveries are not ordered: the edit arrives first.
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.edit({ from, originalMessageId: wamid, body: 'Livrez mardi' }));
    await settle(t);
    const waiting = await t.app.ctx.db.selectFrom('provider_events').select(['pending', 'retry_at']).where('channel_id', '=', s.channelId).where('kind', '=', 'customer_edited').executeTakeFirstOrThrow();
    expect(waiting.pending).toBe(true);
    expect(waiting.retry_at).toEqual(new Date(t.clock.now().getTime() + 1_000));

    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.inboundText({ from, body: 'Livrez lundi', id: wamid }));
    await settle(t);
    const row = () => t.app.ctx.db.selectFrom('messages').select(['id', 'text', 'version']).where('provider_message_id', '=', wamid).executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ text: 'Livrez lundi', version: 1 });
    t.clock.advance(1);
    await settle(t);
    expect(await row()).toMatchObject({ text: 'Livrez mardi', version: 2 });
    const message = await call(t, 'GET', `/api/v1/messages/${(await row()).id}`, { token: s.ws.tokens.agent });
    expect(message.body.versions.map((v: { text: string }) => v.text)).toEqual(['Livrez lundi', 'Livrez mardi']);

    // A delete of a message we never get: retried for ten minutes, then counted as unmatched.
    const ghost = customerWamid();
    await s.fake.sendWebhook(s.webhookUrl, s.fake.webhooks.revoke({ from, originalMessageId: ghost }));
    await settle(t);
    const pendingFor = async () =>
      t.app.ctx.db.selectFrom('provider_events').select('pending').where('channel_id', '=', s.channelId).where('kind', '=', 'customer_deleted').executeTakeFirstOrThrow();
    for (let minute = 1; minute < 10; minute++) {
      t.clock.advance(60);
      await settle(t);
      expect((await pendingFor()).pending).toBe(true);
    }
    t.clock.advance(60);
    await settle(t);
    expect((await pendingFor()).pending).toBe(false);
    const metrics = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }).then((r) => r.text());
    expect(metrics).toMatch(/errata_webhook_events_total\{provider="any",outcome="deferred"\} [1-9]/);
  });

  it('bad input: malformed or oversized bodies, unknown numbers, unknown messages', async () => {
    const s = await setupCloud();
    const notJson = await s.fake.sendWebhook(s.webhookUrl, {}, { rawBody: '{"object": ', signature: s.fake.sign('{"object": ') });
    expect(notJson.status).toBe(400);
    const big = 'x'.repeat(1_100_000);
    const oversized = await s.fake.sendWebhook(s.webhookUrl, {}, { rawBody: big, signature: s.fake.sign(big) });
    expect(oversized.status).toBe(413);
    const notEnvelope = await s.fake.sendWebhook(s.webhookUrl, { hello: 'world' });
    expect(notEnvelope.status).toBe(400);

    const stranger = await startCloudApiFake({ phoneNumberId: uniquePhoneNumberId() });
    fakes.push(stranger);
    const unknownNumber = await stranger.sendWebhook(s.webhookUrl, stranger.webhooks.inboundText({ from: '33612345300', body: 'hi' }));
    expect(unknownNumber.status).toBe(200);
    expect(JSON.parse(unknownNumber.responseBody)).toMatchObject({ stored: 0, ignored: 1 });

    const unknownStatus = await s.fake.sendWebhook(
      s.webhookUrl,
      s.fake.webhooks.status({ id: 'wamid.NOT-OURS', status: 'delivered', recipientId: '33612345300' }),
    );
    expect(unknownStatus.status).toBe(200);
    expect(JSON.parse(unknownStatus.responseBody)).toMatchObject({ stored: 1 });
    await settle(t);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(0);

    const metrics = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }).then((r) => r.text());
    expect(metrics).toMatch(/errata_webhook_events_total\{provider="any",outcome="unmatched"\} [1-9]/);
    expect(metrics).toMatch(/errata_webhook_events_total\{provider="whatsapp-cloud",outcome="bad_signature"\} [1-9]/);
  });

  it('a repeated inbound delivery creates one message', async () => {
    const s = await setupCloud();
    const payload = s.fake.webhooks.inboundText({ from: '33612345301', body: 'Une seule fois', id: customerWamid() });
    const results = await Promise.all([1, 2, 3].map(() => s.fake.sendWebhook(s.webhookUrl, payload)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await settle(t);
    expect(await countMessages(t, s.ws.workspaceId)).toBe(1);
  });
});

describe('repair on a channel that cannot delete or edit', () => {
  it('answers capability_unsupported and the remedy advisor points to a correction', async () => {
    const s = await setupCloud();
    const { contactId } = await customerWrites(s, '33612345400');
    const sent = await send(s, contactId, { text: 'Le prix est de 100 €' });
    await settle(t);
    const del = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/delete`, {
      token: s.ws.tokens.agent,
      body: { scope: 'everyone', reason: 'wrong_price' },
    });
    expect(del.status).toBe(422);
    expect(del.body.error.code).toBe('capability_unsupported');
    const edit = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/edit`, { token: s.ws.tokens.agent, body: { text: 'Le prix est de 1 000 €' } });
    expect(edit.status).toBe(422);
    const remedies = await call(t, 'GET', `/api/v1/messages/${sent.body.id}/remedies?mistake=wrong_price`, { token: s.ws.tokens.agent });
    expect(remedies.body.remedies[0].remedy).toBe('correct');
    expect(remedies.body.remedies.map((r: { remedy: string }) => r.remedy)).not.toContain('delete_for_everyone_and_correct');
  });
});
