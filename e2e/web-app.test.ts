import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TestApp } from '../src/test-support/test-app.ts';
import { advance, api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn, type WebWorkspace } from './web-support.ts';

// The team inbox in a real browser (Debian Chromium) against a real server on a fresh database.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
});

const VALID_IBAN = 'FR14 2004 1010 0505 0001 3M02 606';

async function openThread(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function type(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: /^Message to/ });
  await box.fill(text);
  return box;
}

async function setup(options: { channel?: Record<string, unknown> } = {}) {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, options.channel);
  const conv = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  return { ws, channelId: channel.id, ...conv };
}

function screen(ws: WebWorkspace, contactId: string) {
  return api<{ devices: { device: { label: string }; lines: { text: string; kind: string }[] }[] }>(
    t,
    ws,
    'GET',
    `/simulator/contacts/${contactId}/screen`,
  );
}

it('signs in with email and password, shows the inbox, signs out', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t);
  await page.goto(`${t.baseUrl}/`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Sign in');
  await shoot(page, 'sign-in');

  await page.getByLabel('Email', { exact: true }).fill(ws.users.agent.email);
  await page.getByLabel('Password', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();

  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await list.getByRole('link', { name: /James Carter/ }).waitFor();
  await expect(list.getByText('Hello, any news about my order?')).toBeTruthy();
  await openThread(page, 'James Carter');
  await shoot(page, 'inbox');

  // The session survives a reload (HttpOnly cookie), then sign-out ends it.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await context.close();
});

it('blocks a message with an IBAN and highlights the span', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const text = `Please transfer to ${VALID_IBAN} today.`;
  const box = await type(page, text);
  const verdict = page.locator('output.verdict');
  await expect.poll(() => verdict.textContent()).toContain('Blocked');
  const mark = page.locator('.backdrop mark[data-kind="pii.iban"]');
  await expect.poll(() => mark.count()).toBe(1);
  expect((await mark.textContent())?.replace(/\s/g, '')).toBe(VALID_IBAN.replace(/\s/g, ''));
  expect(await box.getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
  // Ctrl+Enter does not send either.
  await box.press('Control+Enter');
  await shoot(page, 'composer-blocked-iban');
  const messages = await api<{ items: unknown[] }>(t, ws, 'GET', `/conversations`);
  expect(messages.items).toHaveLength(1);
  await context.close();
});

it('hold + Undo: the customer panel never shows the message', async () => {
  const { ws, contactId } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const text = 'Your parcel leaves the warehouse this afternoon.';
  await type(page, text);
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Looks good');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const bubble = page.locator('li.bubble.out', { hasText: text });
  await bubble.getByText(/Held — sends in/).waitFor();
  await shoot(page, 'thread-held-countdown');
  await bubble.getByRole('button', { name: 'Undo' }).click();
  await bubble.getByText('Cancelled — never sent').waitFor();

  await advance(t, 30, [page]);
  const panel = page.getByRole('complementary', { name: 'Customer’s phone' });
  await panel.waitFor();
  await page.waitForTimeout(300);
  expect(await panel.textContent()).not.toContain(text);
  for (const device of (await screen(ws, contactId)).devices) expect(device.lines.map((l) => l.text)).not.toContain(text);
  await context.close();
});

it('fixes a typo with an edit, shown as "Edited" on the customer’s phone', async () => {
  const { ws, contactId } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const typo = 'Your order will arive tomorrow morning.';
  await type(page, typo);
  // A spelling warning must be acknowledged (or fixed) before sending.
  const ack = page.getByRole('checkbox', { name: /I have read this/ });
  await ack.waitFor();
  expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
  await shoot(page, 'composer-warning');
  await ack.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const bubble = page.locator('li.bubble.out', { hasText: typo });
  await bubble.waitFor();
  await advance(t, 60, [page]);
  await bubble.getByText(/Delivered|Sent/).waitFor();

  await bubble.getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'A typo' }).check();
  await dialog.getByRole('button', { name: 'Edit the message' }).first().waitFor();
  await shoot(page, 'fix-dialog-typo');
  await dialog.getByRole('button', { name: 'Edit the message' }).first().click();
  await dialog.getByLabel('Corrected text').fill('Your order will arrive tomorrow morning.');
  await dialog.getByRole('button', { name: 'Save the edit' }).click();
  await dialog.waitFor({ state: 'detached' });
  const edited = page.locator('li.bubble.out', { hasText: 'Your order will arrive tomorrow morning.' });
  await edited.getByText('Edited', { exact: true }).waitFor();
  await t.app.ctx.jobs.drain();
  await expect
    .poll(async () => (await screen(ws, contactId)).devices[0]?.lines.map((l) => l.text))
    .toContain('Your order will arrive tomorrow morning.');
  const phone = page.getByRole('complementary', { name: 'Customer’s phone' });
  await phone.getByText('Your order will arrive tomorrow morning.').waitFor();
  await context.close();
});

it('delete for everyone with an outdated device: tombstone on one, original on the other', async () => {
  const { ws, contactId } = await setup();
  await api(t, ws, 'POST', `/simulator/contacts/${contactId}/devices`, { label: 'Old tablet', clientVersion: '2.20.0', online: true });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const text = 'The staff door code for the depot is on the board.';
  await type(page, text);
  await expect.poll(() => page.locator('output.verdict').textContent()).toMatch(/Looks good|Check/);
  for (const box of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await box.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('li.bubble.out', { hasText: text }).waitFor();
  await advance(t, 60, [page]);

  // The training panel: the tablet's app becomes outdated.
  const panel = page.getByRole('complementary', { name: 'Customer’s phone' });
  await panel.getByRole('button', { name: 'Mark outdated — Old tablet' }).click();
  await panel.getByRole('region', { name: 'Old tablet' }).getByText('Outdated app').waitFor();

  const bubble = page.locator('li.bubble.out', { hasText: text });
  await bubble.getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'Confidential or personal data' }).check();
  await dialog.getByRole('button', { name: 'Delete for everyone, then send a correction' }).click();
  await dialog.getByLabel('Note for the record (optional)').fill('Internal code sent to a customer');
  await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
  // The correction composer, prefilled along the etiquette, in the customer's language.
  const correction = dialog.getByRole('textbox', { name: /^Message to/ });
  await expect.poll(() => correction.inputValue()).toContain('Hello James,');
  // The tablet's outdated app kept the original: the draft must not claim James sees a tombstone (issue 11).
  expect(await correction.inputValue()).not.toContain('This message was deleted');
  expect(await correction.inputValue()).toContain('if you still see it on one of your devices');
  expect(await dialog.getByRole('button', { name: 'Send the correction' }).isDisabled()).toBe(true);
  await shoot(page, 'correction-composer');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await t.app.ctx.jobs.drain();
  await bubble.getByText('You deleted this message').waitFor();
  await bubble.getByText(/outdated app still shows the original/).waitFor();
  await bubble.getByText('May have been seen').waitFor();
  const phone = panel.getByRole('region', { name: /Phone|Téléphone/ }).first();
  await expect.poll(() => phone.locator('[data-kind="tombstone"]').textContent()).toContain('This message was deleted');
  await panel.getByRole('region', { name: 'Old tablet' }).getByText(text).waitFor();
  await shoot(page, 'delete-for-everyone-outcomes');

  const devices = (await screen(ws, contactId)).devices;
  const tablet = devices.find((d) => d.device.label === 'Old tablet')!;
  const other = devices.find((d) => d.device.label !== 'Old tablet')!;
  expect(tablet.lines.find((l) => l.text === text)?.kind).toBe('text');
  expect(other.lines.some((l) => l.kind === 'tombstone')).toBe(true);
  await context.close();
});

it('refuses delete for everyone past a short window and offers the correction composer', async () => {
  const { ws } = await setup({ channel: { revokeWindowSeconds: 60, editWindowSeconds: 60, defaultHoldSeconds: 0 } });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const text = 'Our manager approved a refund of your last invoice.';
  await type(page, text);
  await expect.poll(() => page.locator('output.verdict').textContent()).toMatch(/Looks good|Check/);
  for (const box of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await box.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const bubble = page.locator('li.bubble.out', { hasText: text });
  await bubble.waitFor();
  await t.app.ctx.jobs.drain();
  await bubble.getByText(/Delivered|Sent/).waitFor();

  await bubble.getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'Confidential or personal data' }).check();
  await dialog.getByRole('button', { name: 'Delete for everyone, then send a correction' }).click();
  await dialog.getByRole('timer').getByText(/Delete for everyone: .* left/).waitFor();
  // The agent hesitates past the channel's 60 s window.
  await advance(t, 120, [page]);
  await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
  await dialog.getByRole('alert').getByText(/Too late to delete this message for everyone/).waitFor();
  const correction = dialog.getByRole('textbox', { name: /^Message to/ });
  await expect.poll(() => correction.inputValue()).toContain('Hello James,');
  expect(await correction.inputValue()).not.toContain('This message was deleted');
  await shoot(page, 'revoke-window-expired');
  await correction.fill('Hello James, sorry: our previous message was sent to you by mistake. Please disregard it.');
  await dialog.getByRole('button', { name: 'Send the correction' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('li.bubble.out', { hasText: 'Please disregard it.' }).waitFor();
  await context.close();
});

it('a message the guard sends for review is approved by a second user', async () => {
  const { ws } = await setup();
  const agent = await openContext(browser, t);
  await signIn(agent.page, t, ws.users.agent.email);
  await openThread(agent.page, 'James Carter');
  const text = 'You can also call my colleague Marc on +33 6 12 34 56 78.';
  await type(agent.page, text);
  await expect.poll(() => agent.page.locator('output.verdict').textContent()).toContain('approval');
  for (const box of await agent.page.getByRole('checkbox', { name: /I have read this/ }).all()) await box.check();
  await agent.page.getByRole('button', { name: 'Send for approval', exact: true }).click();
  const bubble = agent.page.locator('li.bubble.out', { hasText: text });
  await bubble.getByText('Awaiting approval').waitFor();

  const supervisor = await openContext(browser, t);
  await signIn(supervisor.page, t, ws.users.supervisor.email);
  await supervisor.page.getByRole('link', { name: /Approvals \(1 waiting\)/ }).click();
  const item = supervisor.page.getByRole('listitem').filter({ hasText: text });
  await item.getByRole('button', { name: 'Approve', exact: true }).waitFor();
  await supervisor.page.getByRole('heading', { name: 'Messages awaiting approval' }).waitFor();
  await shoot(supervisor.page, 'approvals');
  await item.getByRole('button', { name: 'Approve', exact: true }).click();
  await supervisor.page.getByText('Nothing waiting for approval.').waitFor();
  await t.app.ctx.jobs.drain();
  await advance(t, 30, [agent.page, supervisor.page]);
  // The author sees it leave, live.
  await bubble.getByText(/Queued|Sent|Delivered|Held/).waitFor();
  await agent.context.close();
  await supervisor.context.close();
});

it('switches between French and English, remembers the choice, defaults to the browser’s language', async () => {
  const { ws } = await setup();
  const fr = await openContext(browser, t, { locale: 'fr-FR' });
  await fr.page.goto(`${t.baseUrl}/`);
  await fr.page.getByLabel('E-mail', { exact: true }).waitFor();
  await fr.page.getByLabel('Mot de passe', { exact: true }).waitFor();
  expect(await fr.page.locator('html').getAttribute('lang')).toBe('fr');
  await signIn(fr.page, t, ws.users.agent.email, 'fr');
  await openThread(fr.page, 'James Carter');
  await fr.page.getByRole('link', { name: 'Boîte de réception' }).waitFor();
  await shoot(fr.page, 'inbox-fr');
  await fr.page.getByRole('button', { name: 'EN', exact: true }).click();
  await fr.page.getByRole('link', { name: 'Inbox' }).waitFor();
  await fr.page.reload();
  await fr.page.getByRole('link', { name: 'Inbox' }).waitFor();
  expect(await fr.page.locator('html').getAttribute('lang')).toBe('en');
  await fr.page.getByRole('button', { name: 'FR', exact: true }).click();
  await fr.page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  // Server errors come back in the UI language too.
  await fr.context.close();
});

it('fits a phone-sized window', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t, { viewport: { width: 390, height: 844 } });
  await signIn(page, t, ws.users.agent.email);
  await shoot(page, 'phone-inbox');
  await openThread(page, 'James Carter');
  await type(page, `Please transfer to ${VALID_IBAN} today.`);
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Blocked');
  await shoot(page, 'phone-thread');
  const width = await page.evaluate('document.documentElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(390);
  await page.getByRole('link', { name: 'Back to conversations' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
  await context.close();
});
