import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { startEvolutionApiFake } from '../../test-support/fakes/evolution-api-fake.ts';
import { call, cloudChannelBody, createTestWorkspace, settle, startTestApp, type TestApp, uniquePhoneNumberId } from '../../test-support/test-app.ts';

/**
 * Issue 12, defect 2 on the webhooks: PostgreSQL cannot store a NUL, but a signed delivery with one
 * in the customer's text must not be lost (a 500 makes Meta retry it for days). It is stored with
 * each NUL replaced by U+FFFD and answered 200.
 */
let t: TestApp;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const close of closers) await close();
  await t?.close();
});

async function inboundTexts(workspaceId: string) {
  return t.app.ctx.db
    .selectFrom('messages')
    .innerJoin('contacts', 'contacts.id', 'messages.contact_id')
    .select(['messages.text', 'contacts.name'])
    .where('messages.workspace_id', '=', workspaceId)
    .where('messages.direction', '=', 'in')
    .execute();
}

describe('a NUL in a customer’s text on a webhook', () => {
  it('Cloud API: 200, stored with U+FFFD in the text and the profile name', async () => {
    const phoneNumberId = uniquePhoneNumberId();
    const fake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `a-${phoneNumberId}` });
    closers.push(() => fake.close());
    const ws = await createTestWorkspace(t);
    expect((await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake) })).status).toBe(201);
    const delivery = await fake.sendWebhook(
      `${t.baseUrl}/webhooks/whatsapp`,
      fake.webhooks.inboundText({ from: '33611223344', body: 'Bonjour\u0000 ma commande', profileName: 'Claire\u0000' }),
    );
    expect(delivery.status).toBe(200);
    await settle(t);
    expect(await inboundTexts(ws.workspaceId)).toEqual([{ text: 'Bonjour\uFFFD ma commande', name: 'Claire\uFFFD' }]);
  });

  it('Evolution: 200, stored with U+FFFD', async () => {
    const fake = await startEvolutionApiFake({ apiKey: `evo-nul-${process.pid}`, instance: `errata-nul-${process.pid}` });
    closers.push(() => fake.close());
    const ws = await createTestWorkspace(t);
    const created = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'evolution', name: 'Gateway', config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
    });
    expect(created.status).toBe(201);
    const delivery = await fake.sendWebhook(
      `${t.baseUrl}${created.body.provider.webhookPath}`,
      fake.webhooks.upsert({ from: '5511999990007', text: 'Olá\u0000!', pushName: 'Ana\u0000' }),
    );
    expect(delivery.status).toBe(200);
    await settle(t);
    expect(await inboundTexts(ws.workspaceId)).toEqual([{ text: 'Olá\uFFFD!', name: 'Ana\uFFFD' }]);
  });
});
