import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TestApp } from '../src/test-support/test-app.ts';
import { api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// Issue 11, "everyday features a team expects": the inbox in a real browser against a real server.
let t: TestApp;
let browser: Browser;
const axeSource: string = createRequire(import.meta.url)('axe-core').source;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
});

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the app's CSP (script-src 'self') refuses inline scripts.
  // A string, evaluated in the page: this file is typed without the DOM library.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

it('starts a conversation from the inbox: an existing contact, then a new one, and writes first', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const claire = await api<{ id: string }>(t, ws, 'POST', '/contacts', { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  const list = page.getByRole('navigation', { name: 'Conversations' });

  // An existing contact without a conversation yet.
  await list.getByRole('button', { name: 'New conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  await dialog.getByLabel('Find a contact').fill('claire');
  await shoot(page, 'new-conversation');
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Write to Claire Dubois' }).click();
  await page.getByRole('heading', { level: 1, name: 'Claire Dubois' }).waitFor();
  await list.getByRole('link', { name: /Claire Dubois/ }).waitFor();
  const box = page.getByRole('textbox', { name: /^Message to/ });
  await box.fill('Bonjour Claire, votre commande est prête.');
  await page.getByRole('button', { name: /^Send( for approval)?$/ }).click();
  await t.app.ctx.jobs.drain();
  await expect
    .poll(async () => (await api<{ devices: { lines: { text: string }[] }[] }>(t, ws, 'GET', `/simulator/contacts/${claire.id}/screen`)).devices[0]?.lines.map((l) => l.text))
    .toEqual(['Bonjour Claire, votre commande est prête.']);

  // A new contact: added, then its empty conversation opens; a duplicate number is refused in place.
  await list.getByRole('button', { name: 'New conversation' }).click();
  await dialog.getByLabel('Name').fill('Léa Martin');
  await dialog.getByLabel('Phone number').fill('+33 6 12 34 56 78');
  await dialog.getByRole('button', { name: 'Add and write' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'A contact with this phone number already exists.' }).waitFor();
  await dialog.getByLabel('Phone number').fill('+33 6 98 76 54 32');
  await dialog.getByRole('button', { name: 'Add and write' }).click();
  await page.getByRole('heading', { level: 1, name: 'Léa Martin' }).waitFor();
  expect(await dialog.isVisible()).toBe(false);
  const conversations = await api<{ items: { contact: { name: string; phone: string } }[] }>(t, ws, 'GET', '/conversations');
  expect(conversations.items.map((c) => c.contact.name).sort()).toEqual(['Claire Dubois', 'James Carter', 'Léa Martin']);
  expect(conversations.items.find((c) => c.contact.name === 'Léa Martin')?.contact.phone).toBe('+33698765432');
  await context.close();
});

it('approve with changes: "Send for approval", the supervisor edits and approves, the customer gets the edit; a rejection names its reviewer', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  const { contactId } = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const agent = await openContext(browser, t);
  await signIn(agent.page, t, ws.users.agent.email);
  await agent.page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /James Carter/ }).click();
  const box = agent.page.getByRole('textbox', { name: /^Message to/ });
  const written = 'You can also call my colleague Marc on +33 6 12 34 56 78.';
  const rejectedText = 'Or write to Marc on +33 6 12 34 56 79.';
  for (const text of [written, rejectedText]) {
    await box.fill(text);
    const send = agent.page.getByRole('button', { name: 'Send for approval', exact: true });
    await send.waitFor();
    await send.click();
    await agent.page.locator('li.bubble.out', { hasText: text }).getByText('Awaiting approval').waitFor();
  }

  const supervisor = await openContext(browser, t);
  await signIn(supervisor.page, t, ws.users.supervisor.email);
  await supervisor.page.goto(`${t.baseUrl}/#/approvals`);
  const item = supervisor.page.getByRole('listitem').filter({ hasText: written });
  await item.getByRole('button', { name: 'Edit and approve' }).click();
  const edited = 'Marc will call you back this afternoon.';
  await item.getByLabel(/^Text that will be sent/).fill(edited);
  await shoot(supervisor.page, 'approve-with-changes');
  expect(await axeViolations(supervisor.page)).toEqual([]);
  await item.getByRole('button', { name: 'Approve with changes' }).click();
  await supervisor.page.getByText('Approved with your changes.').waitFor();
  const other = supervisor.page.getByRole('listitem').filter({ hasText: rejectedText });
  await other.getByRole('button', { name: 'Reject' }).click();
  await other.getByLabel('Reason for rejecting').fill('No private numbers, please');
  await other.getByRole('button', { name: 'Reject with this reason' }).click();
  await supervisor.page.getByText('Nothing waiting for approval.').waitFor();
  await t.app.ctx.jobs.drain();

  // The customer only ever sees the reviewer's text; the author sees who changed or refused what.
  const screen = await api<{ devices: { lines: { text: string }[] }[] }>(t, ws, 'GET', `/simulator/contacts/${contactId}/screen`);
  expect(screen.devices[0]?.lines.map((l) => l.text)).toEqual(['Hello, any news about my order?', edited]);
  const approvedBubble = agent.page.locator('li.bubble.out', { hasText: edited });
  await approvedBubble.getByText('Approved with changes by Sam Supervisor').waitFor();
  await approvedBubble.getByText('Text as written by its author').click();
  await approvedBubble.locator('.approved-changes').getByText(written).waitFor();
  await agent.page.locator('li.bubble.out', { hasText: rejectedText }).getByText('Rejected by Sam Supervisor: No private numbers, please').waitFor();
  await shoot(agent.page, 'reviewed-by');
  await agent.context.close();
  await supervisor.context.close();
});

it('correction flow: the draft gives the catalogue price and the name, survives closing, and a deleted message has its own entry', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  const { contactId } = await createConversation(t, ws, channel.id, { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' }, 'Bonjour, quel est le prix ?');
  await api(t, ws, 'POST', '/catalog', { name: 'Lampe Arc', price: 1000, currency: 'EUR' });
  // Price findings warn here (instead of asking for approval), so the wrong price leaves at once.
  await api(t, ws, 'PUT', '/guard/policy', { categories: { price: 'warn' } });
  const wrong = 'Bonjour Claire, la Lampe Arc est à 100 €.';
  await api(t, ws, 'POST', '/messages', { contactId, text: wrong, holdSeconds: 0, acknowledge: ['price.mismatch'] });
  await t.app.ctx.jobs.drain();

  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Claire Dubois/ }).click();
  const bubble = page.locator('li.bubble.out', { hasText: wrong });
  await bubble.getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'A wrong price' }).check();
  await dialog.getByRole('button', { name: /^Delete for everyone, then send a correction/ }).click();
  await dialog.getByRole('button', { name: 'Delete for everyone', exact: true }).click();
  const box = dialog.getByRole('textbox', { name: 'Message to Claire Dubois' });
  await box.waitFor();
  const drafted = await box.inputValue();
  expect(drafted).toMatch(/^Bonjour Claire,/);
  expect(drafted).toMatch(/Le prix correct est 1\s?000\s?€\./);
  expect(drafted).not.toContain('[prix correct]');
  await shoot(page, 'correction-known-price');

  // The agent writes the remedy, closes the dialog, and finds the draft again from the tombstone.
  const written = drafted.replace(/\[[^\]]*\]/g, 'la livraison vous est offerte');
  await box.fill(written);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await bubble.getByText('You deleted this message').waitFor();
  await bubble.getByRole('button', { name: 'Write a correction' }).click();
  expect(await box.inputValue()).toBe(written);
  const send = dialog.getByRole('button', { name: 'Send the correction' });
  // (The tone check may warn on the drafted wording: the agent reads it and confirms.)
  const verdict = dialog.locator('output.verdict');
  await expect.poll(async () => ['Looks good', 'Check the warnings'].includes((await verdict.textContent()) ?? '')).toBe(true);
  for (const tick of await dialog.getByRole('checkbox', { name: /I have read this/ }).all()) await tick.check();
  await expect.poll(() => send.isEnabled()).toBe(true);
  await send.click();
  await dialog.waitFor({ state: 'hidden' });
  await t.app.ctx.jobs.drain();
  const screen = await api<{ devices: { lines: { text: string; kind: string; quoted?: { kind: string; text: string } | null }[] }[] }>(
    t,
    ws,
    'GET',
    `/simulator/contacts/${contactId}/screen`,
  );
  // Sent as a WhatsApp reply quoting the wrong message, which her phone shows as deleted.
  expect(screen.devices[0]?.lines.find((l) => l.text === written)?.quoted).toMatchObject({ kind: 'tombstone', text: 'Ce message a été supprimé' });
  const reply = page.locator('li.bubble.out', { hasText: 'Le prix correct est' });
  await reply.locator('.reply-quote').filter({ hasText: wrong }).waitFor();
  await page.locator('.line-quote').filter({ hasText: 'Ce message a été supprimé' }).waitFor();
  await shoot(page, 'correction-quoting');
  await context.close();
});

it('settings: an admin adds a catalogue price and blocks price mistakes; the composer obeys at once', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws);
  await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

  const add = page.getByRole('form', { name: 'New item' });
  await add.getByLabel('Item').fill('Arc lamp');
  await add.getByLabel('Price').fill('1000');
  await add.getByRole('button', { name: 'Add the item' }).click();
  await page.getByRole('rowheader', { name: 'Arc lamp' }).waitFor();

  const policy = page.getByRole('form', { name: 'Guard policy' });
  await policy.getByLabel('Action for Price').selectOption('block');
  await policy.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').first().waitFor();
  await shoot(page, 'settings');
  expect(await axeViolations(page)).toEqual([]);
  const stored = await api<{ categories: Record<string, string> }>(t, ws, 'GET', '/guard/policy');
  expect(stored.categories.price).toBe('block');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /James Carter/ }).click();
  await page.getByRole('textbox', { name: /^Message to/ }).fill('Hello James, the Arc lamp is 100 €.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Blocked');
  await context.close();
});

it('notifications: with the browser’s permission, a customer’s new message while the agent is elsewhere; the unread count in the tab title', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws);
  const { contactId } = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const { context, page } = await openContext(browser, t);
  // The browser's notification centre, recorded; the agent is in another window (Errata not focused).
  await page.addInitScript(`
    window.__shown = [];
    window.Notification = class {
      // The browser remembers the site's permission across reloads.
      static permission = sessionStorage.getItem('__granted') ? 'granted' : 'default';
      static async requestPermission() { sessionStorage.setItem('__granted', '1'); window.Notification.permission = 'granted'; return 'granted'; }
      constructor(title, options) { window.__shown.push({ title, tag: options && options.tag }); }
      close() {}
    };
    Document.prototype.hasFocus = () => false;
  `);
  await signIn(page, t, ws.users.agent.email);
  await expect.poll(() => page.title()).toBe('(1) Inbox · Errata');
  const toggle = page.getByRole('button', { name: 'Notifications' });
  await toggle.click();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');

  await api(t, ws, 'POST', `/simulator/contacts/${contactId}/reply`, { text: 'Are you there?', channelId: channel.id });
  await expect.poll(() => page.evaluate('window.__shown.map((n) => n.title)')).toEqual(['New message from James Carter']);
  await expect.poll(() => page.title()).toBe('(2) Inbox · Errata');
  expect(await axeViolations(page)).toEqual([]);

  // Remembered across a reload; opening the conversation reads it and the count goes.
  await page.reload();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /James Carter/ }).click();
  await expect.poll(() => page.title()).not.toMatch(/^\(/);
  await context.close();
});

it('thread date separators; the customer’s phone shows when a message was sent, not when it arrived', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  const { contactId } = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  const { context, page } = await openContext(browser, t);
  t.clock.advance(86_400);
  await page.clock.fastForward(86_400_000);
  await signIn(page, t, ws.users.agent.email);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /James Carter/ }).click();
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  const phoneId = (await api<{ devices: { device: { id: string } }[] }>(t, ws, 'GET', `/simulator/contacts/${contactId}/screen`)).devices[0]!.device.id;
  await api(t, ws, 'PATCH', `/simulator/contacts/${contactId}/devices/${phoneId}`, { online: false });

  await page.getByRole('textbox', { name: /^Message to/ }).fill('Your parcel left this morning.');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await t.app.ctx.jobs.drain();
  const separators = page.locator('ol.messages > li.day-separator');
  await expect.poll(() => separators.allTextContents()).toEqual(['Yesterday', 'Today']);

  // The phone comes back online five minutes later: it shows the time the message was sent.
  t.clock.advance(300);
  await page.clock.fastForward(300_000);
  await api(t, ws, 'PATCH', `/simulator/contacts/${contactId}/devices/${phoneId}`, { online: true });
  await t.app.ctx.jobs.drain();
  const conversations = await api<{ items: { id: string }[] }>(t, ws, 'GET', '/conversations');
  const messages = await api<{ items: { text: string; sentAt: string }[] }>(t, ws, 'GET', `/conversations/${conversations.items[0]!.id}/messages`);
  const sentAt = messages.items.find((m) => m.text === 'Your parcel left this morning.')!.sentAt;
  const shortTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' }).format(new Date(iso));
  const line = page.locator('.customer-panel li.line', { hasText: 'Your parcel left this morning.' });
  await line.waitFor();
  expect(await line.textContent()).toContain(shortTime(sentAt));
  expect(await line.textContent()).not.toContain(shortTime(new Date(Date.parse(sentAt) + 300_000).toISOString()));
  await shoot(page, 'thread-days');
  await context.close();
});
