import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../test-support/fakes/cloud-api-webhooks.ts';
import { type EvolutionApiFake, startEvolutionApiFake } from '../../test-support/fakes/evolution-api-fake.ts';
import {
  call,
  cloudChannelBody,
  createTestWorkspace,
  settle,
  setupSimulator,
  startTestApp,
  type TestApp,
  uniquePhoneNumberId,
} from '../../test-support/test-app.ts';

// A correction can quote the wrong message (a WhatsApp reply), on every channel (issue 11).
let t: TestApp;
const closers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500 });
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await t?.close();
});

describe('simulator', () => {
  it('the reply shows the quoted message as each device shows it; lines carry the send time, not the sync time', async () => {
    const { ws, contactId, channelId } = await setupSimulator(t, {
      channel: { revokeWindowSeconds: 4096 },
      contact: { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' },
    });
    const phone = (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body.devices[0].device.id;
    const tablet = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/devices`, {
      token: ws.tokens.admin,
      body: { label: 'Tablette', clientVersion: '2.16.0', online: true },
    });
    expect(tablet.status).toBe(201);

    const wrong = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'La lampe est à 100 €.', holdSeconds: 0 } });
    await t.app.ctx.jobs.drain();
    await call(t, 'POST', `/api/v1/messages/${wrong.body.id}/delete`, { token: ws.tokens.agent, body: { scope: 'everyone', reason: 'wrong_price' } });

    // The phone goes offline: the correction reaches it a minute after it was sent.
    await call(t, 'PATCH', `/api/v1/simulator/contacts/${contactId}/devices/${phone}`, { token: ws.tokens.admin, body: { online: false } });
    const correction = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, channelId, text: 'Pardon : la lampe est à 1 000 €.', holdSeconds: 0, replyToMessageId: wrong.body.id },
    });
    expect(correction.status).toBe(202);
    expect(correction.body.replyToMessageId).toBe(wrong.body.id);
    await t.app.ctx.jobs.drain();
    const sentAt = (await call(t, 'GET', `/api/v1/messages/${correction.body.id}`, { token: ws.tokens.agent })).body.sentAt;
    t.clock.advance(60);
    await call(t, 'PATCH', `/api/v1/simulator/contacts/${contactId}/devices/${phone}`, { token: ws.tokens.admin, body: { online: true } });
    await t.app.ctx.jobs.drain();

    const screen = (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body;
    const byLabel = (label: string) => screen.devices.find((d: { device: { label: string } }) => d.device.label === label).lines;
    const onPhone = byLabel('Téléphone').find((l: { messageId: string }) => l.messageId === correction.body.id);
    expect(onPhone.quoted).toEqual({ messageId: wrong.body.id, kind: 'tombstone', text: 'Ce message a été supprimé' });
    expect(onPhone.at).toBe(sentAt);
    // The outdated tablet ignored the deletion: its quote still shows the wrong price.
    const onTablet = byLabel('Tablette').find((l: { messageId: string }) => l.messageId === correction.body.id);
    expect(onTablet.quoted).toEqual({ messageId: wrong.body.id, kind: 'text', text: 'La lampe est à 100 €.' });
  });

  it('refuses to quote a message of another conversation, in the caller’s language', async () => {
    const a = await setupSimulator(t);
    const other = await call(t, 'POST', '/api/v1/contacts', { token: a.ws.tokens.admin, body: { name: 'Léa Martin', phone: '+33 6 98 76 54 32', language: 'fr' } });
    const theirs = await call(t, 'POST', '/api/v1/messages', { token: a.ws.tokens.agent, body: { contactId: other.body.id, text: 'Bonjour Léa', holdSeconds: 0 } });
    const refused = await call(t, 'POST', '/api/v1/messages', {
      token: a.ws.tokens.agent,
      body: { contactId: a.contactId, text: 'Hello James', replyToMessageId: theirs.body.id },
      headers: { 'accept-language': 'fr' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', message: 'Le message cité n’appartient pas à cette conversation.' });
  });
});

describe('real channels', () => {
  it('Cloud API: the reply carries context.message_id of the quoted message', async () => {
    const phoneNumberId = uniquePhoneNumberId();
    const fake: CloudApiFake = await startCloudApiFake({
      phoneNumberId,
      appSecret: `secret-${phoneNumberId}`,
      verifyToken: `verify-${phoneNumberId}`,
      accessToken: `token-${phoneNumberId}`,
      serviceWindow: 'off',
      throughputPerSecond: 1_000,
    });
    closers.push(fake);
    const ws = await createTestWorkspace(t);
    const channel = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
    const delivery = await fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from: '33612345678', body: 'Bonjour', profileName: 'Claire', id: customerWamid() }));
    expect(delivery.status).toBe(200);
    await settle(t);
    const contactId = (await call(t, 'GET', '/api/v1/contacts', { token: ws.tokens.agent })).body.items[0].id;
    const send = (body: Record<string, unknown>) =>
      call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId: channel.body.id, ...body } });
    const wrong = await send({ text: 'La lampe est à 100 €.' });
    await settle(t);
    const wamid = (await call(t, 'GET', `/api/v1/messages/${wrong.body.id}`, { token: ws.tokens.agent })).body.delivery.providerMessageId;
    expect(wamid).toBeTruthy();
    await send({ text: 'Pardon : 1 000 €.', replyToMessageId: wrong.body.id });
    await settle(t);
    const requests = fake.received.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect((requests[0]!.body as Record<string, unknown>).context).toBeUndefined();
    expect((requests[1]!.body as Record<string, unknown>).context).toEqual({ message_id: wamid });
  });

  it('Evolution: the reply carries quoted with the key and text of the quoted message', async () => {
    const fake: EvolutionApiFake = await startEvolutionApiFake({ apiKey: `evo-reply-${process.pid}`, instance: `errata-reply-${process.pid}` });
    closers.push(fake);
    const ws = await createTestWorkspace(t);
    const channel = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'evolution', name: 'Gateway', config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
    });
    fake.setWebhookUrl(`${t.baseUrl}${channel.body.provider.webhookPath}`);
    const contact = await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: 'Ana Souza', phone: '+55 11 99999 0001', language: 'en' } });
    const send = (body: Record<string, unknown>) =>
      call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId: contact.body.id, channelId: channel.body.id, ...body } });
    const wrong = await send({ text: 'The lamp is 100 €.' });
    await settle(t);
    const keyId = (await call(t, 'GET', `/api/v1/messages/${wrong.body.id}`, { token: ws.tokens.agent })).body.delivery.providerMessageId;
    await send({ text: 'Sorry: it is 1 000 €.', replyToMessageId: wrong.body.id });
    await settle(t);
    const requests = fake.received.filter((r) => r.path.startsWith('/message/sendText/'));
    expect(requests[1]!.body).toEqual({
      number: '5511999990001',
      text: 'Sorry: it is 1 000 €.',
      quoted: { key: { id: keyId, fromMe: true }, message: { conversation: 'The lamp is 100 €.' } },
    });
  });
});
