import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TestApp } from '../src/test-support/test-app.ts';
import { axeViolations } from './axe.ts';
import { api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// Issue 17: the Health dashboard in a real browser against a real server.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
}, 180_000);

it('opens the dashboard, changes the period, drills down from a number to the conversation; axe finds nothing', async () => {
  const ws = await createWebWorkspace(t);
  const now = t.clock.now();
  // Twenty days ago: a conversation, a message, deleted for everyone (only in the 30-day view).
  t.clock.set(new Date(now.getTime() - 20 * 86_400_000));
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0, revokeWindowSeconds: 4096 });
  const james = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const send = async (text: string) => {
    const m = await api<{ id: string }>(t, ws, 'POST', '/messages', { contactId: james.contactId, text, holdSeconds: 0 });
    await t.app.ctx.jobs.drain();
    return m.id;
  };
  const old = await send('The sofa is 100 euros.');
  await api(t, ws, 'POST', `/messages/${old}/delete`, { scope: 'everyone', reason: 'wrong_price' });
  // Today: three messages, one deleted for a typo.
  t.clock.set(now);
  const typo = await send('See you on Monday at nine.');
  await send('Your order has shipped.');
  await send('Thank you for your order.');
  t.clock.advance(60);
  await api(t, ws, 'POST', `/messages/${typo}/delete`, { scope: 'everyone', reason: 'typo' });

  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.supervisor.email);
  const started = Date.now();
  await page.getByRole('navigation', { name: 'Main' }).or(page.getByRole('link', { name: 'Health' })).first().waitFor();
  await page.getByRole('link', { name: 'Health' }).click();
  await page.getByRole('heading', { level: 1, name: 'Deletion health' }).waitFor();
  // 30 days: 2 of 4 deleted.
  const rate = page.getByRole('button', { name: /^Deletion rate: 50\s%/ });
  await rate.waitFor();
  const ready = Date.now() - started;
  expect(ready).toBeLessThan(5_000);
  await page.getByRole('heading', { name: 'Why messages were deleted' }).waitFor();

  // 7 days: 1 of 3.
  await page.getByLabel('Period').selectOption({ label: 'Last 7 days' });
  await page.getByRole('button', { name: /^Deletion rate: 33\.3\s%/ }).waitFor();

  // The data table behind the reasons chart, and axe on the whole page with it open.
  const reasons = page.getByRole('figure').filter({ has: page.getByRole('heading', { name: 'Why messages were deleted' }) });
  await reasons.getByText('Data table').click();
  await reasons.getByRole('row', { name: /Typo/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await shoot(page, 'health-dashboard');

  // Drill down: the number → the messages → the conversation.
  await page.getByRole('button', { name: /^Deletion rate: 33\.3\s%/ }).click();
  const drill = page.getByRole('region', { name: /Messages: deleted for everyone/ });
  await drill.getByText('1 messages; the newest 1 are listed.').waitFor();
  await drill.getByText('See you on Monday at nine.').waitFor();
  await drill.getByRole('link', { name: /James Carter/ }).click();
  await expect.poll(() => page.url()).toContain(`#/c/${james.conversationId}`);
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();

  // On a phone-sized window the dashboard still reads, without horizontal scrolling.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${t.baseUrl}/#/health`);
  await page.getByRole('button', { name: /^Deletion rate:/ }).waitFor();
  // The e2e project has no DOM library: the page's globals typed here.
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
}, 120_000);
