import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { call, type TestApp } from '../src/test-support/test-app.ts';
import { browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// The guard's second round in a real browser: a reproach no phrase list holds is a warning the agent
// sees, with a calmer wording one click away; "Not a mistake" is recorded for the workspace's test set.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
});

async function openThread(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

it('warns on condescension, offers a calmer wording, and records "Not a mistake"', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws);
  await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const box = page.getByRole('textbox', { name: /^Message to/ });
  await box.fill('As I already told you, the deposit is non-refundable.');
  // A warning (not information): the send button waits for an acknowledgement or a fix.
  const apply = page.getByRole('button', { name: /^Replace with “Just to recap, the deposit is non-refundable\.”/ });
  await apply.waitFor();
  expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
  await shoot(page, 'composer-tone-suggestion');
  await apply.click();
  await expect.poll(() => box.inputValue()).toBe('Just to recap, the deposit is non-refundable.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Looks good');

  // Another sentence the agent judges fine: "Not a mistake" is stored with who and when.
  await box.fill('Did you even read the confirmation email?');
  const notMistake = page.getByRole('button', { name: 'Not a mistake' }).first();
  await notMistake.waitFor();
  await notMistake.click();
  const exported = async (): Promise<string> => {
    const response = await call<string>(t, 'GET', '/api/v1/guard/feedback/export', { token: ws.adminToken });
    return typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  };
  await expect.poll(exported).toContain('Did you even read the confirmation email?');
  await context.close();
  // The workspace's own export can grow a test set in the corpus format: a false alarm expects nothing.
  const line = JSON.parse((await exported()).trim().split('\n')[0]!) as { text: string; expect: unknown[] };
  expect(line).toMatchObject({ text: 'Did you even read the confirmation email?', expect: [] });
});
