import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createApiToken } from '../src/commands/create-api-token.ts';
import type { TestApp } from '../src/test-support/test-app.ts';
import { advance, api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn, type WebWorkspace } from './web-support.ts';

// Issue 11, defects 1–7: the inbox never says something other than what the customer sees.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
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

type Screen = { devices: { device: { id: string; label: string }; lines: { text: string; kind: string }[] }[] };
const screenOf = (ws: WebWorkspace, contactId: string) => api<Screen>(t, ws, 'GET', `/simulator/contacts/${contactId}/screen`);

async function makeOutdated(ws: WebWorkspace, contactId: string, label?: string) {
  const device = (await screenOf(ws, contactId)).devices.find((d) => !label || d.device.label === label)!;
  await api(t, ws, 'PATCH', `/simulator/contacts/${contactId}/devices/${device.device.id}`, { clientVersion: '2.10.0' });
}

async function fix(page: Page, text: string, mistake: string) {
  await page.locator('li.bubble.out', { hasText: text }).getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: mistake }).check();
  return dialog;
}

it('defect 3: delete for everyone on an outdated phone says so in the dialog, the thread and the correction draft', async () => {
  const { ws, contactId } = await setup({ contact: { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' } });
  await makeOutdated(ws, contactId);
  const text = 'Bonjour Claire, la lampe Opaline est à 89 €.';
  await sendAndDeliver(ws, contactId, text);
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email); // the API token that sent it is the admin's
  await openThread(page, 'Claire Dubois');

  const dialog = await fix(page, text, 'A wrong price');
  await dialog.getByRole('button', { name: 'Delete for everyone, then send a correction' }).click();
  await dialog.getByRole('button', { name: 'Delete for everyone', exact: true }).click();
  const correction = dialog.getByRole('textbox', { name: /^Message to/ });
  await expect.poll(() => correction.inputValue()).toContain('Bonjour Claire,');
  const notice = dialog.getByText(/not every device removed it/);
  expect(await notice.textContent()).toContain('Téléphone: not deleted — outdated app still shows the original');
  expect(await dialog.getByText(/Deleted for everyone|Supprimé pour tous/).count()).toBe(0);
  expect(await correction.inputValue()).not.toContain('Ce message a été supprimé');
  expect(await correction.inputValue()).toContain('si vous le voyez encore');
  await shoot(page, 'honest-delete-outdated-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const bubble = page.locator('li.bubble.out', { hasText: 'You deleted this message' });
  await bubble.getByText('You deleted this message — not removed on every device').waitFor();
  await bubble.getByText(/not deleted — outdated app still shows the original/).waitFor();
  await bubble.getByText('May have been seen').waitFor();
  // …and the phone indeed still shows the wrong price.
  expect((await screenOf(ws, contactId)).devices[0]!.lines.map((l) => l.text)).toContain(text);
  await context.close();
});

it('defect 4: an edit an outdated device ignores is ranked lower, and shows its true outcome in the dialog, the thread and the draft', async () => {
  const { ws, contactId } = await setup();
  await api(t, ws, 'POST', `/simulator/contacts/${contactId}/devices`, { label: 'Old tablet', clientVersion: '2.10.0', online: true });
  const typo = 'Your order will arive tomorrow morning.';
  await sendAndDeliver(ws, contactId, typo, { acknowledge: ['spelling.word'] });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email); // the API token that sent it is the admin's
  await openThread(page, 'James Carter');

  const dialog = await fix(page, typo, 'A typo');
  const best = dialog.locator('ol.remedies li.best');
  await best.waitFor();
  expect(await best.textContent()).not.toContain('Edit the message');
  const editCard = dialog.locator('ol.remedies li', { hasText: 'Edit the message' });
  expect(await editCard.textContent()).toMatch(/outdated app: they will ignore the edit/);
  await editCard.getByRole('button', { name: 'Edit the message' }).click();
  await dialog.getByLabel('Corrected text').fill('Your order will arrive tomorrow morning.');
  await dialog.getByRole('button', { name: 'Save the edit' }).click();
  const correction = dialog.getByRole('textbox', { name: /^Message to/ });
  await expect.poll(() => correction.inputValue()).toContain('Hello James,');
  expect(await dialog.getByText(/not every device shows the new text/).textContent()).toContain(
    'Old tablet: not edited — outdated app still shows the previous text',
  );
  expect(await correction.inputValue()).toContain('if you still see the previous version');
  await shoot(page, 'honest-edit-outdated-dialog');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const bubble = page.locator('li.bubble.out', { hasText: 'Your order will arrive tomorrow morning.' });
  await bubble.getByText('Edited — not on every device').waitFor();
  expect(await bubble.getByText('Edited', { exact: true }).count()).toBe(0);
  await bubble.getByText(/Old tablet.*not edited — outdated app still shows the previous text/).waitFor();
  const tablet = (await screenOf(ws, contactId)).devices.find((d) => d.device.label === 'Old tablet')!;
  expect(tablet.lines.map((l) => l.text)).toContain(typo);
  await context.close();
});

it('defect 5: a message awaiting approval is withdrawn, never corrected; a rejected one is edited and resubmitted', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const risky = 'You can also call my colleague Marc on +33 6 12 34 56 78.';
  await typeAndSend(page, risky);
  const bubble = page.locator('li.bubble.out', { hasText: risky });
  await bubble.getByText('Awaiting approval').waitFor();

  // The advisor: withdraw it — nothing about a correction the customer would need.
  const dialog = await fix(page, risky, 'Sent to the wrong person');
  await dialog.getByRole('button', { name: 'Withdraw it' }).waitFor();
  expect(await dialog.getByText(/correction/i).count()).toBe(0);
  expect(await dialog.getByText(/still sees/).count()).toBe(0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Withdrawn from the bubble.
  await bubble.getByRole('button', { name: 'Withdraw' }).click();
  await bubble.getByText('Cancelled — never sent').waitFor();
  await page.getByText('Withdrawn. The customer never received it.').waitFor();

  // Rejected, then edited and resubmitted by its author.
  const second = 'Call Marc on +33 6 12 34 56 78 for the delivery.';
  await typeAndSend(page, second);
  const secondBubble = page.locator('li.bubble.out', { hasText: second });
  await secondBubble.getByText('Awaiting approval').waitFor();
  const id = await secondBubble.getAttribute('data-message-id');
  const supervisorToken = await createApiToken(t.app.ctx, {
    workspaceId: ws.workspaceId,
    userId: ws.users.supervisor.id,
    label: 'e2e',
  });
  await fetch(`${t.baseUrl}/api/v1/messages/${id}/reject`, {
    method: 'POST',
    headers: { authorization: `Bearer ${supervisorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'No personal numbers.' }),
  });
  await secondBubble.getByText(/Rejected/).waitFor();
  const again = await fix(page, second, 'Confidential or personal data');
  await again.getByRole('button', { name: 'Edit and resubmit' }).click();
  await again.getByLabel('New text').fill('Our delivery team will call you before coming.');
  await again.getByRole('button', { name: 'Resubmit for approval' }).click();
  await again.waitFor({ state: 'detached' });
  const resubmitted = page.locator(`li.bubble.out[data-message-id="${id}"]`);
  // The new text is what the bubble says (the rejected one stays in its versions).
  await resubmitted.getByText('Our delivery team will call you before coming.').first().waitFor();
  await resubmitted.getByText('Awaiting approval').waitFor();
  await context.close();
});

it('defect 6: past the revoke window, "delete for me" no longer promises delete for everyone later', async () => {
  const { ws, contactId } = await setup({ channel: { revokeWindowSeconds: 60, editWindowSeconds: 60, defaultHoldSeconds: 0 } });
  const text = 'Our manager approved a refund of your last invoice.';
  await sendAndDeliver(ws, contactId, text);
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email); // the API token that sent it is the admin's
  await openThread(page, 'James Carter');
  await advance(t, 120, [page]);
  const dialog = await fix(page, text, 'Something else');
  const card = dialog.locator('ol.remedies li', { hasText: 'Delete for me only' });
  await card.waitFor();
  expect(await card.textContent()).not.toMatch(/delete for everyone later|does not close delete for everyone/i);
  expect(await card.textContent()).toContain('can no longer be deleted for everyone');
  await card.getByRole('button', { name: 'Delete for me only' }).click();
  expect(await dialog.locator('section.act').textContent()).not.toMatch(/still delete it for everyone later/);
  await dialog.getByText(/It can no longer be deleted for everyone/).waitFor();
  await context.close();
});

it('defect 7: Undo from the bubble removes the toast’s Undo too — no stale button, no false “already left”', async () => {
  const { ws } = await setup({ channel: { defaultHoldSeconds: 30 } });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const text = 'Your parcel leaves the warehouse this afternoon.';
  await typeAndSend(page, text);
  const toasts = page.getByRole('region', { name: 'Notifications' });
  await toasts.getByRole('button', { name: 'Undo' }).waitFor();
  const bubble = page.locator('li.bubble.out', { hasText: text });
  await bubble.getByRole('button', { name: 'Undo' }).click();
  await bubble.getByText('Cancelled — never sent').waitFor();
  await expect.poll(() => toasts.getByRole('button', { name: 'Undo' }).count()).toBe(0);
  expect(await toasts.getByRole('alert').count()).toBe(0);
  expect(await page.getByText(/already left/).count()).toBe(0);
  await context.close();
});
