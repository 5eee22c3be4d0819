import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../src/test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../src/test-support/fakes/cloud-api-webhooks.ts';
import { cloudChannelBody, settle, startTestApp, type TestApp, uniquePhoneNumberId } from '../src/test-support/test-app.ts';
import { launchBrowser } from './browser.ts';
import { advance, api, buildWebApp, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// The team inbox on a real WhatsApp Cloud API channel: Errata's server against the faithful fake
// of the Graph API (signed webhooks), in Debian's Chromium.
let t: TestApp;
let browser: Browser;
const fakes: CloudApiFake[] = [];

beforeAll(async () => {
  buildWebApp();
  t = await startTestApp({ providerTimeoutMs: 500 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const fake of fakes) await fake.close();
  await t?.close();
});

it('shows what the customer did on WhatsApp, and offers a template once the 24-hour window has closed', async () => {
  const ws = await createWebWorkspace(t);
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
  await api(t, ws, 'POST', '/channels', cloudChannelBody(fake, { defaultHoldSeconds: 0 }));
  const hook = `${t.baseUrl}/webhooks/whatsapp`;
  const from = '447700900123';
  const customer = { from, profileName: 'Claire Martin', at: t.clock.now().getTime() };
  const deliver = async (payload: Parameters<CloudApiFake['sendWebhook']>[1]) => expect((await fake.sendWebhook(hook, payload)).status).toBe(200);
  const address = customerWamid();
  const card = customerWamid();
  await deliver(fake.webhooks.inboundText({ ...customer, body: 'Hello, is my order ready?' }));
  await deliver(fake.webhooks.inboundText({ ...customer, id: address, body: 'Deliver to 21 Baker Street' }));
  await deliver(fake.webhooks.edit({ ...customer, originalMessageId: address, body: 'Deliver to 12 Baker Street' }));
  await deliver(fake.webhooks.inboundText({ ...customer, id: card, body: 'My card is 4970 1012 3456 7890' }));
  await deliver(fake.webhooks.revoke({ ...customer, originalMessageId: card }));
  await deliver(fake.webhooks.unsupported(customer));
  // Webhooks are stored, then applied in the background; tests apply them now.
  await settle(t);

  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Claire Martin/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Claire Martin' }).waitFor();

  // The customer's edit: "Edited", with both versions for the team.
  const edited = page.locator('li.bubble.in', { hasText: 'Deliver to 12 Baker Street' });
  await edited.getByText('Edited', { exact: true }).waitFor();
  await edited.getByText('All versions (2)').click();
  await edited.getByText('Deliver to 21 Baker Street').waitFor();

  // The customer's deletion: the tombstone they see, the original kept for the record.
  const deleted = page.locator('li.bubble.in.deleted-by-customer');
  await deleted.getByText('This message was deleted').waitFor();
  await deleted.getByText(/Deleted by the customer/).waitFor();
  expect(await deleted.getByText('My card is 4970 1012 3456 7890').isVisible()).toBe(false);
  await deleted.getByText(/Original text \(kept for the record/).click();
  await deleted.getByText('My card is 4970 1012 3456 7890').waitFor();

  // Content the Cloud API could not pass on: a placeholder and WhatsApp's reason.
  const unsupported = page.locator('li.bubble.in', { hasText: 'Content WhatsApp could not deliver' });
  await unsupported.getByText(/WhatsApp’s reason: Message type unknown .*\(131051\)/).waitFor();
  await shoot(page, 'whatsapp-customer-actions');

  // A day later: free text is refused, a template goes through.
  await advance(t, 25 * 3600, [page]);
  const box = page.getByRole('textbox', { name: 'Message to Claire Martin' });
  await box.fill('Your order is ready for collection.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toMatch(/Looks good|Check/);
  for (const ack of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await ack.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'More than 24 hours since the customer last wrote' }).waitFor();
  await page.getByRole('button', { name: 'Send a template instead' }).click();
  const form = page.getByRole('form', { name: 'Send an approved template' });
  await form.getByLabel('Template name').fill('order_ready');
  expect(await form.getByLabel('Language code').inputValue()).toBe('en');
  await form.getByLabel('Values, one per line').fill('Claire\nA-1042');
  await shoot(page, 'whatsapp-template-form');
  await form.getByRole('button', { name: 'Send the template' }).click();
  await form.waitFor({ state: 'detached' });
  const sent = page.locator('li.bubble.out', { hasText: 'Template order_ready · en' });
  await sent.getByRole('list', { name: 'Values' }).getByText('A-1042').waitFor();

  await settle(t);
  const requests = fake.received.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  expect(requests.at(-1)?.body).toMatchObject({
    type: 'template',
    to: from,
    template: { name: 'order_ready', language: { code: 'en' } },
  });
  await sent.getByText('Sent', { exact: false }).waitFor();
  await shoot(page, 'whatsapp-template-sent');
  await context.close();
});
