import type { Browser } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TestApp } from '../src/test-support/test-app.ts';
import { axeViolations } from './axe.ts';
import { api, browserSuite, createChannel, createConversation, createWebWorkspace, openContext, shoot, signIn } from './web-support.ts';

// Issue 14, item 2: the team inbox in a real browser against a real server.
let t: TestApp;
let browser: Browser;

browserSuite((app, chromium) => {
  t = app;
  browser = chromium;
}, 180_000);

type Screen = { devices: { lines: { text: string }[] }[] };
type Thread = { items: { kind: string; text: string; direction?: string }[] };

it('assign to me, filter Mine, label, note (never on the customer’s phone), resolve, reopened by the customer; a colleague note posted as a note instead', async () => {
  const ws = await createWebWorkspace(t);
  const channel = await createChannel(t, ws, { defaultHoldSeconds: 0 });
  const james = await createConversation(t, ws, channel.id, { name: 'James Carter', phone: '+44 7911 123456', language: 'en' });
  await createConversation(t, ws, channel.id, { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' }, 'Bonjour !');
  const { context, page } = await openContext(browser, t);
  await signIn(page, t, ws.users.agent.email);
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await list.getByRole('link', { name: /James Carter/ }).click();
  await page.getByRole('heading', { level: 1, name: 'James Carter' }).waitFor();
  const bar = page.getByRole('region', { name: 'Handling of this conversation' });

  // Assign to me.
  await bar.getByRole('button', { name: 'Assign to me' }).click();
  await expect.poll(() => bar.getByRole('combobox', { name: 'Assigned to' }).inputValue()).toBe(ws.users.agent.id);
  expect((await api<{ assigneeId: string }>(t, ws, 'GET', `/conversations/${james.conversationId}`)).assigneeId).toBe(ws.users.agent.id);

  // Filter "Mine": only James's conversation is listed.
  await list.getByText('Mine', { exact: true }).click();
  await expect.poll(() => list.getByRole('link').count()).toBe(1);
  await list.getByRole('link', { name: /James Carter/ }).waitFor();

  // A label.
  await bar.getByRole('button', { name: 'Edit labels' }).click();
  await bar.getByRole('combobox', { name: 'Add a label' }).fill('VIP');
  await bar.getByRole('button', { name: 'Add', exact: true }).click();
  await bar.getByRole('list', { name: 'Labels' }).getByText('VIP').waitFor();
  await bar.getByRole('button', { name: 'Done' }).click();
  await list.getByRole('link', { name: /James Carter/ }).getByText('VIP').waitFor();

  // An internal note: shown as a note in the thread, never on the customer's phone.
  await page.getByRole('button', { name: 'Internal note', exact: true }).click();
  const noteBox = page.getByRole('textbox', { name: 'Internal note about James Carter (the team only)' });
  await noteBox.fill('@Sam Supervisor the refund for James is still pending, please check.');
  await page.getByRole('button', { name: 'Post note' }).click();
  const thread = page.getByRole('list', { name: 'Messages with James Carter' });
  const note = thread.getByRole('listitem', { name: 'Internal note by Alice Agent' });
  await note.getByText('the refund for James is still pending', { exact: false }).waitFor();
  expect(await note.getAttribute('class')).toContain('note');
  await t.app.ctx.jobs.drain();
  const phone = page.getByRole('complementary');
  await phone.getByText('Hello, any news about my order?').first().waitFor();
  expect(await phone.getByText('refund', { exact: false }).count()).toBe(0);
  const screen = await api<Screen>(t, ws, 'GET', `/simulator/contacts/${james.contactId}/screen`);
  expect(screen.devices.flatMap((d) => d.lines.map((l) => l.text)).some((text) => text.includes('refund'))).toBe(false);
  await shoot(page, 'team-inbox-note');
  expect(await axeViolations(page)).toEqual([]);

  // Resolve; the customer writes again: open again.
  await bar.getByRole('button', { name: 'Resolve' }).click();
  await expect.poll(() => bar.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('resolved');
  await api(t, ws, 'POST', `/simulator/contacts/${james.contactId}/reply`, { text: 'One more thing, please', channelId: channel.id });
  await expect.poll(() => bar.getByRole('combobox', { name: 'Status' }).inputValue(), { timeout: 10_000 }).toBe('open');
  await thread.getByText('One more thing, please').waitFor();

  // A reply that is really a note to a colleague: posted as a note, the composer cleared, nothing sent.
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  const reply = page.getByRole('textbox', { name: 'Message to James Carter' });
  const colleagueNote = 'Sam, FYI this customer keeps changing his order, can you deal with him?';
  await reply.fill(colleagueNote);
  await page.getByRole('button', { name: 'Post as internal note instead' }).click();
  await page.getByText('Posted as an internal note: nothing was sent to the customer.').waitFor();
  expect(await reply.inputValue()).toBe('');
  await thread.getByRole('listitem', { name: 'Internal note by Alice Agent' }).filter({ hasText: 'keeps changing his order' }).waitFor();
  await t.app.ctx.jobs.drain();
  const items = (await api<Thread>(t, ws, 'GET', `/conversations/${james.conversationId}/messages`)).items;
  expect(items.filter((i) => i.kind === 'message' && i.direction === 'out')).toEqual([]);
  expect(items.filter((i) => i.kind === 'note').map((i) => i.text)).toEqual([colleagueNote, '@Sam Supervisor the refund for James is still pending, please check.']);
  const after = await api<Screen>(t, ws, 'GET', `/simulator/contacts/${james.contactId}/screen`);
  expect(after.devices.flatMap((d) => d.lines.map((l) => l.text)).some((text) => text.includes('changing his order'))).toBe(false);
  await context.close();
}, 120_000);
