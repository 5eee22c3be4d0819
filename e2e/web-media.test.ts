import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../src/test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../src/test-support/fakes/cloud-api-webhooks.ts';
import { samplePng } from '../src/test-support/media-samples.ts';
import { cloudChannelBody, settle, startTestApp, type TestApp, uniquePhoneNumberId } from '../src/test-support/test-app.ts';
import { axeViolations } from './axe.ts';
import { launchBrowser } from './browser.ts';
import { api, buildWebApp, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// Media round trip on a Cloud API channel (issue 11): an agent attaches a photo in the composer
// and sends it (the fake receives the uploaded bytes), the customer sends a photo back by webhook,
// Errata downloads it and shows it inline, and the thread serves the very same bytes.
let t: TestApp;
let browser: Browser;
let fake: CloudApiFake;

beforeAll(async () => {
  buildWebApp();
  t = await startTestApp({ providerTimeoutMs: 2_000 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await t?.close();
});

it('sends a photo from the composer and shows the customer’s photo inline, byte for byte', async () => {
  const ws = await createWebWorkspace(t);
  const phoneNumberId = uniquePhoneNumberId();
  fake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `tok-${phoneNumberId}`, serviceWindow: 'off' });
  await api(t, ws, 'POST', '/channels', cloudChannelBody(fake, { defaultHoldSeconds: 0 }));
  const hook = `${t.baseUrl}/webhooks/whatsapp`;
  const from = '447700900456';
  const customer = { from, profileName: 'Nadia Haddad', at: t.clock.now().getTime() };
  expect((await fake.sendWebhook(hook, fake.webhooks.inboundText({ ...customer, body: 'Hello, my parcel arrived damaged.' }))).status).toBe(200);
  await settle(t);

  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Nadia Haddad/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Nadia Haddad' }).waitFor();

  // The agent attaches a photo: a preview, then it leaves with its caption.
  const ours = samplePng({ size: 24, rgb: [20, 120, 220] });
  await page.locator('form.composer input[type=file]').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: ours });
  await page.getByRole('group', { name: /Attached: label\.png/ }).waitFor();
  await page.getByRole('textbox', { name: 'Message to Nadia Haddad' }).fill('Here is the return label.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toMatch(/Looks good|Check/);
  for (const ack of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await ack.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const sent = page.locator('li.bubble.out', { hasText: 'Here is the return label.' });
  await sent.getByRole('img', { name: 'Image: Here is the return label.' }).waitFor();
  await settle(t);
  const uploaded = fake.uploads().at(-1)!;
  expect(uploaded.bytes.equals(ours)).toBe(true);
  expect(fake.accepted.at(-1)).toMatchObject({ type: 'image', media: { id: uploaded.id, caption: 'Here is the return label.' } });

  // The customer answers with a photo: downloaded after the webhook, shown inline.
  const theirs = samplePng({ size: 32, rgb: [230, 90, 20] });
  const wamid = customerWamid();
  expect((await fake.sendWebhook(hook, fake.webhooks.mediaWithBytes({ ...customer, id: wamid, kind: 'image', mimeType: 'image/png', bytes: theirs, caption: 'The box' }))).status).toBe(200);
  await settle(t);
  const received = page.locator('li.bubble.in', { hasText: 'The box' });
  const img = received.getByRole('img', { name: 'Image: The box' });
  await img.waitFor();
  await expect.poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(32);

  // Downloading it from the thread gives the customer's bytes.
  const src = (await img.getAttribute('src'))!;
  const downloaded = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), src);
  expect(Buffer.from(downloaded).equals(theirs)).toBe(true);
  await shoot(page, 'media-thread');

  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
