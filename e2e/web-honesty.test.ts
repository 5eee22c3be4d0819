import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../src/test-support/test-app.ts';
import { launchBrowser } from './browser.ts';
import { api, buildWebApp, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn, type WebWorkspace } from './web-support.ts';

// Issue 11, defects 1–7: the inbox never says something other than what the customer sees.
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  buildWebApp();
  t = await startTestApp();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const list = (page: Page) => page.getByRole('navigation', { name: /Conversations/ });

async function openThread(page: Page, name: string) {
  await list(page).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function setup(options: { channel?: Record<string, unknown>; contact?: { name: string; phone: string; language: 'fr' | 'en' } } = {}) {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, options.channel);
  const conv = await createConversation(t, ws, channel.id, options.contact ?? { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  return { ws, channelId: channel.id, ...conv };
}

/** Sends through the API as the agent would have, and lets it reach the customer's devices. */
async function sendAndDeliver(ws: WebWorkspace, contactId: string, text: string, extra: Record<string, unknown> = {}) {
  const message = await api<{ id: string }>(t, ws, 'POST', '/messages', { contactId, text, holdSeconds: 0, ...extra });
  await t.app.ctx.jobs.drain();
  return message;
}

async function typeAndSend(page: Page, text: string) {
  await page.getByRole('textbox', { name: /^Message to/ }).fill(text);
  await expect.poll(() => page.locator('output.verdict').textContent()).toMatch(/Looks good|Check|approval/);
  for (const box of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await box.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

it('defect 1: opening a conversation clears its unread badge, for good', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  const row = list(page).getByRole('link', { name: /James Carter/ });
  await row.getByText('1 unread').waitFor();
  await openThread(page, 'James Carter');
  await expect.poll(() => row.getByText('1 unread').count()).toBe(0);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  await list(page).getByRole('link', { name: /James Carter/ }).waitFor();
  expect(await list(page).getByRole('link', { name: /James Carter/ }).getByText('1 unread').count()).toBe(0);
  await context.close();
});

it('defect 2: the list shows what was actually said last, never a held draft or a replaced version', async () => {
  const { ws, contactId } = await setup({ channel: { defaultHoldSeconds: 30 } });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const row = list(page).getByRole('link', { name: /James Carter/ });
  const last = row.locator('.last');

  // A held draft is not something the customer was told.
  await typeAndSend(page, 'Your parcel leaves this afternoon.');
  await page.locator('li.bubble.out', { hasText: 'Your parcel leaves this afternoon.' }).getByText(/Held/).waitFor();
  await page.waitForTimeout(300);
  expect(await last.textContent()).toBe('Hello, any news about my order?');

  // Sent, then edited: the list follows the current version; search does not find the old one.
  const sent = await sendAndDeliver(ws, contactId, 'It will arive tomorrow.', { acknowledge: ['spelling.word'] });
  await expect.poll(() => last.textContent()).toBe('It will arive tomorrow.');
  await api(t, ws, 'POST', `/messages/${sent.id}/edit`, { text: 'It will arrive tomorrow.' });
  await expect.poll(() => last.textContent()).toBe('It will arrive tomorrow.');
  await page.getByRole('searchbox').fill('arive');
  await list(page).getByText(/No conversation matches/).waitFor();
  await page.getByRole('searchbox').fill('will arrive');
  await list(page).getByRole('link', { name: /James Carter/ }).waitFor();
  await shoot(page, 'list-last-said');
  await context.close();
});
