import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createApiToken } from '../src/commands/create-api-token.ts';
import { call, type TestApp } from '../src/test-support/test-app.ts';
import jsqrModule from 'jsqr';
import { axeViolations } from './axe.ts';
import { advance, api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn, type WebWorkspace } from './web-support.ts';

// Accessibility, keyboard, language and phone-sized windows (issue 11, defects 8–12), in Debian's
// Chromium: axe-core (the npm package, injected into the page) must find 0 violations.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
});

// jsqr is CommonJS: its function is the default export or that export's own `default`.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsqrExport = jsqrModule as unknown as Decode | { default: Decode };
const jsQR: Decode = typeof jsqrExport === 'function' ? jsqrExport : jsqrExport.default;

const REVIEWED = 'You can also call my colleague Marc on +33 6 12 34 56 78.';

async function setup(contact: { name: string; phone: string; language: 'fr' | 'en' } = { name: 'James Carter', phone: '+44 7911 123456', language: 'en' }) {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws);
  const conv = await createConversation(t, ws, channel.id, contact);
  return { ws, channelId: channel.id, ...conv };
}

/** A message the agent wrote that the guard holds for a second pair of eyes. */
async function awaitingApproval(ws: WebWorkspace, contactId: string, channelId: string, text = REVIEWED) {
  const token = await createApiToken(t.app.ctx, { workspaceId: ws.workspaceId, userId: ws.users.agent.id, label: 'agent' });
  const sent = await call<{ status: string }>(t, 'POST', '/api/v1/messages', {
    token,
    body: { contactId, channelId, text, acknowledge: ['pii.phone', 'recipient.name_other', 'recipient.name'] },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  expect(sent.body.status).toBe('awaiting_approval');
}

async function openThread(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** What has focus, as a short description: tag, accessible label or text. */
type Focused = { tag: string; label: string; text: string; inDialog: boolean };
function focused(page: Page): Promise<Focused> {
  // A string: the e2e project has no DOM types.
  return page.evaluate(`(() => {
    const el = document.activeElement;
    const label = el?.getAttribute('aria-label') ?? (el && el.labels ? (el.labels[0]?.textContent ?? '') : '');
    return { tag: el?.tagName.toLowerCase() ?? '', label: label ?? '', text: (el?.textContent ?? '').trim().slice(0, 80), inDialog: !!el?.closest('dialog') };
  })()`) as Promise<Focused>;
}

/** Presses `key` until `test` holds for the focused element (keyboard only, at most `max` times). */
async function pressUntil(page: Page, key: string, test: (f: Focused) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (test(f)) return f;
  }
  throw new Error(`${key} ×${max} never reached the element; focus is on ${JSON.stringify(await focused(page))}`);
}

it('axe-core finds 0 violations: inbox, thread with guard findings and the customer’s phone, fix dialog, approvals, channels', async () => {
  const { ws, contactId, channelId } = await setup();
  await awaitingApproval(ws, contactId, channelId);
  // Enough lines that the customer's phone screen scrolls (it must then be reachable by keyboard).
  for (let i = 1; i <= 14; i++) await api(t, ws, 'POST', `/simulator/contacts/${contactId}/reply`, { text: `Question ${i}: is it in stock?`, channelId });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email);
  // The inbox with no conversation open still has its one h1.
  await page.getByRole('heading', { level: 1 }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await openThread(page, 'James Carter');
  await page.getByRole('complementary', { name: 'Customer’s phone' }).getByText('Hello, any news about my order?').first().waitFor();
  await page.getByRole('textbox', { name: /^Message to/ }).fill('Your order will arive tomorrow morning.');
  await page.getByRole('list', { name: 'What the guard found' }).or(page.locator('ul.findings')).first().waitFor();
  await page.getByRole('checkbox', { name: /I have read this/ }).first().waitFor();
  expect(await axeViolations(page)).toEqual([]);

  for (const box of await page.getByRole('checkbox', { name: /I have read this/ }).all()) await box.check();
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const bubble = page.locator('li.bubble.out', { hasText: 'arive' });
  await bubble.waitFor();
  await advance(t, 60, [page]);
  await bubble.getByText(/Delivered|Sent/).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await bubble.getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'A typo' }).check();
  await dialog.getByRole('button', { name: 'Edit the message' }).first().waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Edit the message' }).first().click();
  await dialog.getByLabel('Corrected text').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: /^Approvals/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Messages awaiting approval' }).waitFor();
  await page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  await page.getByLabel('Reason for rejecting').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Channels' }).click();
  await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});

it('the Approvals link’s name starts with what it shows', async () => {
  const { ws, contactId, channelId } = await setup();
  await awaitingApproval(ws, contactId, channelId);
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.supervisor.email);
  const link = page.getByRole('link', { name: 'Approvals (1 waiting)' });
  await link.waitFor();
  expect(await link.getAttribute('aria-label')).toBeNull();
  expect(((await link.textContent()) ?? '').replace(/\s+/g, ' ').trim()).toMatch(/^Approvals/);
  await context.close();
});

it('keyboard only: open, send, undo, fix with an edit, then reject and approve — focus is never lost', async () => {
  const { ws, contactId, channelId } = await setup();
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);

  // Opening a conversation puts focus in its composer.
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /James Carter/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  await expect.poll(async () => (await focused(page)).tag).toBe('textarea');
  expect((await focused(page)).label).toMatch(/^Message to James Carter/);

  // Send with Ctrl+Enter, undo with Alt+Z: the composer keeps focus.
  await page.keyboard.type('The courier comes at noon.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Looks good');
  await page.keyboard.press('Control+Enter');
  const first = page.locator('li.bubble.out', { hasText: 'The courier comes at noon.' });
  await first.getByText(/Held — sends in/).waitFor();
  expect((await focused(page)).tag).toBe('textarea');
  await page.keyboard.press('Alt+KeyZ');
  await first.getByText('Cancelled — never sent').waitFor();
  expect((await focused(page)).tag).toBe('textarea');

  // A message that leaves, then "Fix this message" → A typo → Edit, by keyboard.
  await page.keyboard.type('Your parcel leaves the warehouse this afternon.');
  const ack = page.getByRole('checkbox', { name: /I have read this/ });
  await ack.first().waitFor();
  await pressUntil(page, 'Tab', (f) => f.tag === 'input' && /I have read this/.test(f.label));
  await page.keyboard.press('Space');
  await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'textarea');
  await page.keyboard.press('Control+Enter');
  const second = page.locator('li.bubble.out', { hasText: 'afternon' });
  await second.waitFor();
  await advance(t, 60, [page]);
  await second.getByText(/Delivered|Sent/).waitFor();
  const fix = await pressUntil(page, 'Shift+Tab', (f) => f.text === 'Fix this message');
  expect(fix.inDialog).toBe(false);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.waitFor();
  expect((await focused(page)).inDialog).toBe(true);
  await pressUntil(page, 'Tab', (f) => f.tag === 'input' && f.inDialog);
  for (let i = 0; i < 10 && !(await dialog.getByRole('radio', { name: 'A typo' }).isChecked()); i++) await page.keyboard.press('ArrowDown');
  expect(await dialog.getByRole('radio', { name: 'A typo' }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: 'Edit the message' }).first().waitFor();
  await pressUntil(page, 'Tab', (f) => f.text === 'Edit the message' && f.tag === 'button');
  await page.keyboard.press('Enter');
  // Edit → focus in the corrected text.
  await expect.poll(async () => (await focused(page)).label).toBe('Corrected text');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Your parcel leaves the warehouse this afternoon.');
  await pressUntil(page, 'Tab', (f) => f.text === 'Save the edit');
  await page.keyboard.press('Enter');
  // Confirm → the dialog closes and focus goes back to where it came from, in the thread.
  await dialog.waitFor({ state: 'detached' });
  await page.locator('li.bubble.out', { hasText: 'this afternoon.' }).getByText('Edited', { exact: true }).waitFor();
  await expect.poll(async () => (await focused(page)).tag).not.toBe('body');
  expect(await page.evaluate("!!document.activeElement?.closest('.thread')")).toBe(true);
  await context.close();

  // The supervisor rejects one message and approves the other, by keyboard.
  await awaitingApproval(ws, contactId, channelId, REVIEWED);
  await awaitingApproval(ws, contactId, channelId, 'Marc will call you from +33 6 12 34 56 79 tomorrow.');
  const sup = await openContext(browser, t);
  await signIn(sup.page, t, ws.users.supervisor.email);
  await sup.page.goto(`${t.baseUrl}/#/approvals`);
  await sup.page.getByRole('button', { name: 'Approve', exact: true }).nth(1).waitFor();
  await pressUntil(sup.page, 'Tab', (f) => f.text === 'Reject');
  await sup.page.keyboard.press('Enter');
  // Reject → focus in the reason.
  await expect.poll(async () => (await focused(sup.page)).label).toBe('Reason for rejecting');
  await sup.page.keyboard.type('Ask Marc first');
  await pressUntil(sup.page, 'Tab', (f) => f.text === 'Reject with this reason');
  await sup.page.keyboard.press('Enter');
  await expect.poll(() => sup.page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(1);
  // The decided item is gone: focus moves to the next one's first action.
  await expect.poll(async () => (await focused(sup.page)).text).toBe('Approve');
  await sup.page.keyboard.press('Enter');
  await sup.page.getByText('Nothing waiting for approval.').waitFor();
  // None left: focus on the page's heading, never lost to <body>.
  await expect.poll(async () => (await focused(sup.page)).tag).toBe('h1');
  await sup.context.close();
});

it('a phone-sized window (390×844): the customer’s phone starts closed and never squeezes the thread', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t, { viewport: { width: 390, height: 844 } });
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'James Carter');
  const toggle = page.getByRole('button', { name: /customer’s phone/ });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  expect(await page.getByRole('complementary', { name: 'Customer’s phone' }).count()).toBe(0);
  const threadWidth = async () => (await page.locator('section.thread').boundingBox())?.width ?? 0;
  expect(await threadWidth()).toBeGreaterThanOrEqual(350);

  // Send a message on the phone.
  await page.getByRole('textbox', { name: /^Message to/ }).fill('Your parcel leaves the warehouse this afternoon.');
  await expect.poll(() => page.locator('output.verdict').textContent()).toContain('Looks good');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('li.bubble.out').getByText(/Held — sends in/).waitFor();
  await advance(t, 60, [page]);

  // Opened, the phone covers the screen instead of squeezing the thread; closing it gives focus back.
  await toggle.click();
  const panel = page.getByRole('complementary', { name: 'Customer’s phone' });
  await panel.getByText('Your parcel leaves the warehouse this afternoon.').first().waitFor();
  const box = await panel.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(350);
  expect(await threadWidth()).toBeGreaterThanOrEqual(350);
  await shoot(page, 'phone-customer-panel');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await panel.getByRole('button', { name: 'Hide the customer’s phone' }).click();
  await panel.waitFor({ state: 'detached' });
  expect((await focused(page)).text).toMatch(/customer’s phone/);

  // The fix dialog fits the screen.
  await page.locator('li.bubble.out').getByRole('button', { name: 'Fix this message' }).click();
  const dialog = page.getByRole('dialog', { name: 'Fix this message' });
  await dialog.getByRole('radio', { name: 'A typo' }).check();
  const dialogBox = await dialog.boundingBox();
  expect((dialogBox?.x ?? -1) >= 0 && (dialogBox?.x ?? 0) + (dialogBox?.width ?? 999) <= 390).toBe(true);
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'Back to conversations' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
  await context.close();
});

it('guard findings in the reader’s language, whatever the message’s language', async () => {
  const { ws } = await setup({ name: 'Claire Dubois', phone: '+33 6 11 22 33 44', language: 'fr' });
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  await openThread(page, 'Claire Dubois');
  await page.getByRole('textbox', { name: /^Message to/ }).fill('Votre IBAN est FR14 2004 1010 0505 0001 3M02 606, merci.');
  const findings = page.locator('ul.findings');
  await expect.poll(() => findings.textContent()).toContain('A valid IBAN that is not the business’s own');
  expect(await findings.textContent()).not.toContain('IBAN valide');
  await page.getByRole('button', { name: 'FR', exact: true }).click();
  await expect.poll(() => findings.textContent()).toContain('IBAN valide qui n’est pas celui de l’entreprise');
  await context.close();
});

it('channel errors in French: a sentence next to each field, no English', async () => {
  const { ws } = await setup();
  const { context, page } = await openContext(browser, t, { locale: 'fr-FR' });
  await signIn(page, t, ws.users.admin.email, 'fr');
  await page.getByRole('link', { name: 'Canaux' }).click();
  const form = page.getByRole('form', { name: 'Connecter un numéro WhatsApp' });
  await form.waitFor();
  await form.getByLabel('Nom du canal').fill('Boutique');
  const phoneId = form.getByLabel('ID du numéro de téléphone', { exact: true });
  await phoneId.fill('abc');
  await form.getByLabel(/ID du compte WhatsApp Business/).fill('12345678');
  await form.getByLabel('Jeton d’accès', { exact: true }).fill('token');
  await form.getByLabel('Clé secrète de l’app', { exact: true }).fill('secret');
  await form.getByLabel('Jeton de vérification', { exact: true }).fill('verify');
  await form.getByRole('button', { name: 'Connecter' }).click();
  await expect.poll(() => phoneId.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await phoneId.getAttribute('aria-describedby')) ?? '';
  const sentence = (await page.evaluate(`${JSON.stringify(describedBy)}.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ')`)) as string;
  expect(sentence).toMatch(/chiffres/);
  const alert = await form.getByRole('alert').textContent();
  expect(alert).not.toMatch(/\b(the|digits|request|invalid|must)\b/i);
  expect(alert).not.toContain('La requête n’est pas valide');
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});

it('channels: an admin adds a simulator and changes its hold in the browser (axe: 0 violations)', async () => {
  const ws = await createWebWorkspace(t);
  await createChannel(t, ws);
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.admin.email);
  await page.getByRole('link', { name: 'Channels' }).click();
  await page.getByRole('heading', { level: 1, name: 'Channels' }).waitFor();

  const add = page.getByRole('form', { name: 'Add a training channel (simulator)' });
  await add.getByLabel('Channel name').fill('Training room');
  await add.getByLabel('Default hold (seconds) (optional)').fill('5');
  await add.getByRole('button', { name: 'Add the simulator' }).click();
  await page.getByText('Channel “Training room” added.').waitFor();
  const item = page.getByRole('listitem').filter({ has: page.getByText('Training room', { exact: true }) });
  await item.getByText('5 s', { exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await item.getByRole('button', { name: 'Edit Training room' }).click();
  const edit = item.getByRole('form', { name: 'Edit “Training room”' });
  // The form opens with the focus in its first field.
  expect((await focused(page)).label).toBe('Channel name');
  const hold = edit.getByLabel('Default hold (seconds)');
  await hold.fill('');
  await edit.getByRole('button', { name: 'Save' }).click();
  // Refused beside the field, which gets the focus; nothing saved.
  await expect.poll(() => hold.getAttribute('aria-invalid')).toBe('true');
  expect(await hold.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await hold.fill('45');
  await edit.getByText('45 s', { exact: true }).waitFor();
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Channel “Training room” saved.').waitFor();
  await edit.waitFor({ state: 'detached' });
  await item.getByText('45 s', { exact: true }).waitFor();
  expect((await focused(page)).label).toBe('Edit Training room');
  expect(await axeViolations(page)).toEqual([]);

  const channels = await api<{ items: { name: string; type: string; defaultHoldSeconds: number }[] }>(t, ws, 'GET', '/channels');
  expect(channels.items.find((c) => c.name === 'Training room')).toMatchObject({ type: 'simulator', defaultHoldSeconds: 45 });
  await context.close();
});

it('two-factor set-up: the QR code is drawn under the CSP, reads back as the otpauth URL, and has a text alternative', async () => {
  const ws = await createWebWorkspace(t);
  const { context, page } = await openContext(browser, t);
  const refused: string[] = [];
  await page.exposeFunction('__cspRefused', (what: string) => refused.push(what));
  // Strings: the e2e project has no DOM types.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => window.__cspRefused(e.violatedDirective + ' ' + e.blockedURI))`);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  const setupAnswer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/totp/setup'));
  await signIn(page, t, ws.users.admin.email);
  await page.goto(`${t.baseUrl}/#/security`);
  await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
  const { otpauthUrl, secret } = (await (await setupAnswer).json()) as { otpauthUrl: string; secret: string };
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app. Cannot scan it? Type the key shown below.' });
  await qr.waitFor();
  const box = await qr.boundingBox();
  expect(box!.width).toBeGreaterThan(120);
  // The key stays on the page for typing it in.
  await page.getByText(secret.replace(/(.{4})/g, '$1 ').trim()).waitFor();

  // What Chromium drew, read by a QR reader: the SVG rasterised on a canvas (an image from a data: URL, allowed by img-src).
  const drawn = (await page.evaluate(`new Promise((resolve, reject) => {
    const svg = document.querySelector('svg[role="img"]');
    const side = 400;
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = side;
      canvas.height = side;
      const g = canvas.getContext('2d');
      g.drawImage(image, 0, 0, side, side);
      resolve({ width: side, data: Array.from(g.getImageData(0, 0, side, side).data) });
    };
    image.onerror = () => reject(new Error('the QR image did not load'));
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  })`)) as { width: number; data: number[] };
  expect(jsQR(Uint8ClampedArray.from(drawn.data), drawn.width, drawn.width)?.data).toBe(otpauthUrl);
  expect(refused).toEqual([]);
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
});
