import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireSnoozes } from '../../commands/inbox/expire-snoozes.ts';
import { createUser } from '../../commands/create-workspace.ts';
import type { RealtimeEvent } from '../../contracts/realtime.ts';
import { type CloudApiFake, startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../test-support/fakes/cloud-api-webhooks.ts';
import { type EvolutionApiFake, startEvolutionApiFake } from '../../test-support/fakes/evolution-api-fake.ts';
import {
  call,
  cloudChannelBody,
  createTestWorkspace,
  settle,
  setupSimulator,
  startTestApp,
  type TestApp,
  type TestWorkspace,
  uniquePhoneNumberId,
} from '../../test-support/test-app.ts';

// Team inbox (issue 14, item 2): status, assignment, labels, internal notes.
let t: TestApp;
const closers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500 });
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await t?.close();
});

/** A workspace with a simulator conversation the customer opened. */
async function conversationWithCustomer() {
  const setup = await setupSimulator(t);
  await customerWrites(setup.ws, setup.contactId, 'Hello, is my order ready?');
  const list = await call(t, 'GET', '/api/v1/conversations', { token: setup.ws.tokens.agent });
  return { ...setup, conversationId: list.body.items[0].id as string };
}

async function customerWrites(ws: TestWorkspace, contactId: string, text: string) {
  const reply = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/reply`, { token: ws.tokens.admin, body: { text } });
  expect(reply.status).toBe(201);
}

const conversationEvents = (conversationId: string) =>
  t.app.ctx.db
    .selectFrom('message_events')
    .select(['type', 'actor_user_id', 'data'])
    .where('conversation_id', '=', conversationId)
    .where('type', 'like', 'conversation.%')
    .orderBy('seq')
    .execute();

const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

describe('POST /conversations/:id/status', () => {
  it('moves a conversation through pending, snoozed and resolved, recording who did it', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const path = `/api/v1/conversations/${conversationId}/status`;
    const pending = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'pending' } });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ id: conversationId, status: 'pending', snoozedUntil: null });
    const until = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const snoozed = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'snoozed', snoozeUntil: until } });
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    const resolved = await call(t, 'POST', path, { token: ws.tokens.supervisor, body: { status: 'resolved' } });
    expect(resolved.body).toMatchObject({ status: 'resolved', snoozedUntil: null });
    // The same status again changes nothing and records nothing.
    await call(t, 'POST', path, { token: ws.tokens.supervisor, body: { status: 'resolved' } });
    const events = await conversationEvents(conversationId);
    expect(events.map((e) => [e.data.to, e.actor_user_id])).toEqual([
      ['pending', ws.userIds.agent],
      ['snoozed', ws.userIds.agent],
      ['resolved', ws.userIds.supervisor],
    ]);
  });

  it('refuses a snooze without a time, in the past, or a time with another status, in the caller’s language', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const path = `/api/v1/conversations/${conversationId}/status`;
    const noTime = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'snoozed' }, headers: { 'accept-language': 'fr' } });
    expect(noTime.status).toBe(400);
    expect(noTime.body.error).toMatchObject({ code: 'validation_failed', message: 'Indiquez jusqu’à quand mettre en attente (snoozeUntil).' });
    const past = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'snoozed', snoozeUntil: '2026-03-02T09:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toBe('The snooze must end in the future.');
    const openWithTime = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'open', snoozeUntil: '2026-03-03T09:00:00Z' } });
    expect(openWithTime.status).toBe(400);
    const badStatus = await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'closed' } });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.code).toBe('validation_failed');
  });

  it('auditors read only; another workspace’s conversation is not found', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const other = await createTestWorkspace(t);
    const path = `/api/v1/conversations/${conversationId}/status`;
    expect((await call(t, 'POST', path, { token: ws.tokens.auditor, body: { status: 'resolved' } })).status).toBe(403);
    const foreign = await call(t, 'POST', path, { token: other.tokens.admin, body: { status: 'resolved' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.status).toBe('open');
  });

  it('a customer’s message reopens a resolved or snoozed conversation (simulator), not a pending one', async () => {
    const { ws, contactId, conversationId } = await conversationWithCustomer();
    const path = `/api/v1/conversations/${conversationId}/status`;
    await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'resolved' } });
    await customerWrites(ws, contactId, 'Actually, one more question');
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.status).toBe('open');

    const until = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'snoozed', snoozeUntil: until } });
    await customerWrites(ws, contactId, 'Hello?');
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body).toMatchObject({ status: 'open', snoozedUntil: null });

    await call(t, 'POST', path, { token: ws.tokens.agent, body: { status: 'pending' } });
    await customerWrites(ws, contactId, 'Still there');
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.status).toBe('pending');

    const reopenings = (await conversationEvents(conversationId)).filter((e) => e.data.reason === 'customer_message');
    expect(reopenings.map((e) => [e.data.from, e.actor_user_id])).toEqual([
      ['resolved', null],
      ['snoozed', null],
    ]);
  });

  it('a customer’s message reopens a resolved conversation on the Cloud API too (webhook)', async () => {
    const phoneNumberId = uniquePhoneNumberId();
    const fake: CloudApiFake = await startCloudApiFake({
      phoneNumberId,
      appSecret: `secret-${phoneNumberId}`,
      verifyToken: `verify-${phoneNumberId}`,
      accessToken: `token-${phoneNumberId}`,
      serviceWindow: 'off',
    });
    closers.push(fake);
    const ws = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
    const inbound = (body: string) =>
      fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from: '33612345678', body, profileName: 'Claire', id: customerWamid() }));
    await inbound('Bonjour');
    await settle(t);
    const conversationId = (await call(t, 'GET', '/api/v1/conversations', { token: ws.tokens.agent })).body.items[0].id;
    await call(t, 'POST', `/api/v1/conversations/${conversationId}/status`, { token: ws.tokens.agent, body: { status: 'resolved' } });
    await inbound('Encore une question');
    await settle(t);
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.status).toBe('open');
  });

  it('a snooze ends at its time on the injected clock (the sweep reopens it, never early)', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const until = new Date(t.clock.now().getTime() + 3_600_000);
    await call(t, 'POST', `/api/v1/conversations/${conversationId}/status`, {
      token: ws.tokens.agent,
      body: { status: 'snoozed', snoozeUntil: until.toISOString() },
    });
    const start = t.clock.now();
    try {
      t.clock.advance(3_599);
      await expireSnoozes(t.app.ctx);
      expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.status).toBe('snoozed');
      t.clock.advance(1);
      expect(await expireSnoozes(t.app.ctx)).toBeGreaterThanOrEqual(1);
      expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body).toMatchObject({
        status: 'open',
        snoozedUntil: null,
      });
      const last = (await conversationEvents(conversationId)).at(-1)!;
      expect(last).toMatchObject({ actor_user_id: null, data: { from: 'snoozed', to: 'open', reason: 'snooze_expired', snoozedUntil: until.toISOString() } });
      // Nothing left to do: idempotent.
      const again = await expireSnoozes(t.app.ctx);
      expect((await conversationEvents(conversationId)).length).toBe(2);
      expect(again).toBeGreaterThanOrEqual(0);
    } finally {
      t.clock.set(start);
    }
  });
});

describe('POST /conversations/:id/assign', () => {
  it('agents take an unassigned conversation and give back their own; they never take a colleague’s or give one away', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const assign = (token: string, userId: string | null) =>
      call(t, 'POST', `/api/v1/conversations/${conversationId}/assign`, { token, body: { userId } });
    expect((await assign(ws.tokens.agent, ws.userIds.agent2)).status).toBe(403);
    const taken = await assign(ws.tokens.agent, ws.userIds.agent);
    expect(taken.status).toBe(200);
    expect(taken.body.assigneeId).toBe(ws.userIds.agent);
    expect((await assign(ws.tokens.agent2, ws.userIds.agent2)).status).toBe(403);
    expect((await assign(ws.tokens.agent2, null)).status).toBe(403);
    expect((await assign(ws.tokens.agent, null)).body.assigneeId).toBeNull();
    // Supervisors and admins dispatch to anyone.
    expect((await assign(ws.tokens.supervisor, ws.userIds.agent2)).body.assigneeId).toBe(ws.userIds.agent2);
    expect((await assign(ws.tokens.admin, ws.userIds.agent)).body.assigneeId).toBe(ws.userIds.agent);
    expect((await assign(ws.tokens.auditor, ws.userIds.agent)).status).toBe(403);
    const events = await conversationEvents(conversationId);
    expect(events.map((e) => [e.type, e.data.from, e.data.to, e.actor_user_id])).toEqual([
      ['conversation.assigned', null, ws.userIds.agent, ws.userIds.agent],
      ['conversation.assigned', ws.userIds.agent, null, ws.userIds.agent],
      ['conversation.assigned', null, ws.userIds.agent2, ws.userIds.supervisor],
      ['conversation.assigned', ws.userIds.agent2, ws.userIds.agent, ws.userIds.admin],
    ]);
  });

  it('refuses auditors and deactivated people as assignees, and people or conversations of another workspace (404)', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const other = await createTestWorkspace(t);
    const path = `/api/v1/conversations/${conversationId}/assign`;
    const auditor = await call(t, 'POST', path, { token: ws.tokens.admin, body: { userId: ws.userIds.auditor }, headers: { 'accept-language': 'fr' } });
    expect(auditor.status).toBe(400);
    expect(auditor.body.error.message).toBe('Otto Auditor est auditeur et ne peut pas traiter de conversations.');
    await call(t, 'PATCH', `/api/v1/users/${ws.userIds.agent2}`, { token: ws.tokens.admin, body: { active: false } });
    const disabled = await call(t, 'POST', path, { token: ws.tokens.admin, body: { userId: ws.userIds.agent2 } });
    expect(disabled.status).toBe(400);
    expect(disabled.body.error.details).toEqual({ field: 'userId' });
    const foreignUser = await call(t, 'POST', path, { token: ws.tokens.admin, body: { userId: other.userIds.agent } });
    expect(foreignUser.status).toBe(404);
    const foreignConversation = await call(t, 'POST', path, { token: other.tokens.admin, body: { userId: other.userIds.agent } });
    expect(foreignConversation.status).toBe(404);
    expect((await call(t, 'POST', path, { token: ws.tokens.admin, body: { userId: 'me' } })).status).toBe(400);
    expect((await call(t, 'POST', path, { token: ws.tokens.admin, body: {} })).status).toBe(400);
  });

  it('round-robin gives new conversations to active agents in turn: fair over 100', async () => {
    const ws = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'simulator', name: 'Sim' } });
    const agents = [ws.userIds.agent, ws.userIds.agent2];
    for (const name of ['Carla Agent', 'Dev Agent']) {
      agents.push(await createUser(t.app.ctx, { workspaceId: ws.workspaceId, email: `${name.split(' ')[0]}-${ws.workspaceId}@test.local`, name, role: 'agent' }));
    }
    const gone = await createUser(t.app.ctx, { workspaceId: ws.workspaceId, email: `gone-${ws.workspaceId}@test.local`, name: 'Gone Agent', role: 'agent' });
    await call(t, 'PATCH', `/api/v1/users/${gone}`, { token: ws.tokens.admin, body: { active: false } });

    expect((await call(t, 'PUT', '/api/v1/workspace/assignment', { token: ws.tokens.supervisor, body: { mode: 'round_robin' } })).status).toBe(403);
    const set = await call(t, 'PUT', '/api/v1/workspace/assignment', { token: ws.tokens.admin, body: { mode: 'round_robin' } });
    expect(set.body).toEqual({ mode: 'round_robin' });
    expect((await call(t, 'GET', '/api/v1/workspace/assignment', { token: ws.tokens.agent })).body).toEqual({ mode: 'round_robin' });

    for (let i = 0; i < 100; i++) {
      const contact = await call(t, 'POST', '/api/v1/contacts', {
        token: ws.tokens.admin,
        body: { name: `Customer ${i}`, phone: `+33 6 00 00 ${String(Math.floor(i / 100)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')}`, language: 'fr' },
      });
      expect(contact.status).toBe(201);
      await customerWrites(ws, contact.body.id, `Bonjour ${i}`);
      // A second message from the same customer keeps the assignee.
      if (i % 10 === 0) await customerWrites(ws, contact.body.id, 'Et aussi…');
    }
    const rows = await t.app.ctx.db.selectFrom('conversations').select(['assignee_id']).where('workspace_id', '=', ws.workspaceId).execute();
    expect(rows).toHaveLength(100);
    const counts = new Map<string | null, number>();
    for (const r of rows) counts.set(r.assignee_id, (counts.get(r.assignee_id) ?? 0) + 1);
    expect(Object.fromEntries(agents.map((id) => [id, counts.get(id)]))).toEqual(Object.fromEntries(agents.map((id) => [id, 25])));
    expect(counts.get(gone)).toBeUndefined();
    expect(counts.get(null)).toBeUndefined();
    const byRoundRobin = await t.app.ctx.db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', ws.workspaceId)
      .where('type', '=', 'conversation.assigned')
      .executeTakeFirstOrThrow();
    expect(Number(byRoundRobin.n)).toBe(100);
  }, 120_000);

  it('manual mode (the default) leaves new conversations unassigned', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    expect((await call(t, 'GET', '/api/v1/workspace/assignment', { token: ws.tokens.agent })).body).toEqual({ mode: 'manual' });
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body.assigneeId).toBeNull();
  });
});

describe('GET /conversations filters', () => {
  it('assignee=me|unassigned|<userId>, status and label, alone and together, keep the list’s order', async () => {
    const ws = await createTestWorkspace(t);
    await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: { type: 'simulator', name: 'Sim' } });
    const conv: string[] = [];
    for (let i = 0; i < 4; i++) {
      const contact = await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: `C${i}`, phone: `+33 6 11 11 11 0${i}`, language: 'fr' } });
      t.clock.advance(1);
      await customerWrites(ws, contact.body.id, `m${i}`);
      conv.push((await call(t, 'GET', '/api/v1/conversations?limit=1', { token: ws.tokens.agent })).body.items[0].id);
    }
    await call(t, 'POST', `/api/v1/conversations/${conv[0]}/assign`, { token: ws.tokens.agent, body: { userId: ws.userIds.agent } });
    await call(t, 'POST', `/api/v1/conversations/${conv[2]}/assign`, { token: ws.tokens.agent, body: { userId: ws.userIds.agent } });
    await call(t, 'POST', `/api/v1/conversations/${conv[1]}/assign`, { token: ws.tokens.admin, body: { userId: ws.userIds.agent2 } });
    await call(t, 'POST', `/api/v1/conversations/${conv[2]}/status`, { token: ws.tokens.agent, body: { status: 'resolved' } });
    await call(t, 'POST', `/api/v1/conversations/${conv[0]}/labels`, { token: ws.tokens.agent, body: { labels: ['VIP'] } });
    await call(t, 'POST', `/api/v1/conversations/${conv[3]}/labels`, { token: ws.tokens.agent, body: { labels: ['VIP', 'Billing'] } });
    const list = async (query: string, token = ws.tokens.agent) => {
      const r = await call(t, 'GET', `/api/v1/conversations?${query}`, { token });
      expect(r.status).toBe(200);
      return ids(r.body);
    };
    expect(await list('assignee=me')).toEqual([conv[2], conv[0]]);
    expect(await list('assignee=me', ws.tokens.agent2)).toEqual([conv[1]]);
    expect(await list('assignee=unassigned')).toEqual([conv[3]]);
    expect(await list(`assignee=${ws.userIds.agent2}`)).toEqual([conv[1]]);
    expect(await list('status=resolved')).toEqual([conv[2]]);
    expect(await list('status=open')).toEqual([conv[3], conv[1], conv[0]]);
    expect(await list('assignee=me&status=open')).toEqual([conv[0]]);
    expect(await list('label=VIP')).toEqual([conv[3], conv[0]]);
    expect(await list('label=VIP&assignee=unassigned')).toEqual([conv[3]]);
    expect(await list('label=Nothing')).toEqual([]);
    // Paging through a filter keeps to it.
    const first = await call(t, 'GET', '/api/v1/conversations?status=open&limit=2', { token: ws.tokens.agent });
    expect(ids(first.body)).toEqual([conv[3], conv[1]]);
    expect(ids((await call(t, 'GET', `/api/v1/conversations?status=open&limit=2&cursor=${first.body.nextCursor}`, { token: ws.tokens.agent })).body)).toEqual([conv[0]]);
    for (const bad of ['assignee=someone', 'status=closed', 'label=', `label=${'x'.repeat(41)}`]) {
      const r = await call(t, 'GET', `/api/v1/conversations?${bad}`, { token: ws.tokens.agent });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    // Another workspace's user id filters to nothing (never to their conversations).
    const other = await createTestWorkspace(t);
    expect(await list(`assignee=${ws.userIds.agent}`, other.tokens.agent)).toEqual([]);
  });
});

describe('labels', () => {
  it('sets the whole set (tidied, spelled as the workspace spells them) and counts them per workspace', async () => {
    const a = await conversationWithCustomer();
    const second = await call(t, 'POST', '/api/v1/contacts', { token: a.ws.tokens.admin, body: { name: 'Léa', phone: '+33 6 22 22 22 22', language: 'fr' } });
    await customerWrites(a.ws, second.body.id, 'Salut');
    const conv2 = (await call(t, 'GET', '/api/v1/conversations', { token: a.ws.tokens.agent })).body.items.find(
      (c: { contact: { id: string } }) => c.contact.id === second.body.id,
    ).id;
    const path = (id: string) => `/api/v1/conversations/${id}/labels`;
    const first = await call(t, 'POST', path(a.conversationId), { token: a.ws.tokens.agent, body: { labels: ['  VIP ', 'Billing  issue', 'vip'] } });
    expect(first.status).toBe(200);
    expect(first.body.labels).toEqual(['Billing issue', 'VIP']);
    const other = await call(t, 'POST', path(conv2), { token: a.ws.tokens.agent, body: { labels: ['vip', 'Urgent'] } });
    expect(other.body.labels).toEqual(['Urgent', 'VIP']);
    const replaced = await call(t, 'POST', path(a.conversationId), { token: a.ws.tokens.agent, body: { labels: ['VIP'] } });
    expect(replaced.body.labels).toEqual(['VIP']);
    const counts = await call(t, 'GET', '/api/v1/labels', { token: a.ws.tokens.auditor });
    expect(counts.body.items).toEqual([
      { label: 'Urgent', count: 1 },
      { label: 'VIP', count: 2 },
    ]);
    const events = (await conversationEvents(a.conversationId)).filter((e) => e.type === 'conversation.labels_changed');
    expect(events.map((e) => [e.data.added, e.data.removed, e.actor_user_id])).toEqual([
      [['Billing issue', 'VIP'], [], a.ws.userIds.agent],
      [[], ['Billing issue'], a.ws.userIds.agent],
    ]);
    // Another workspace sees none of them, and cannot label these conversations.
    const b = await createTestWorkspace(t);
    expect((await call(t, 'GET', '/api/v1/labels', { token: b.tokens.agent })).body.items).toEqual([]);
    expect((await call(t, 'POST', path(a.conversationId), { token: b.tokens.agent, body: { labels: ['x'] } })).status).toBe(404);
    expect((await call(t, 'POST', path(a.conversationId), { token: a.ws.tokens.auditor, body: { labels: ['x'] } })).status).toBe(403);
    const tooMany = await call(t, 'POST', path(a.conversationId), { token: a.ws.tokens.agent, body: { labels: Array.from({ length: 21 }, (_, i) => `l${i}`) } });
    expect(tooMany.status).toBe(400);
    expect((await call(t, 'POST', path(a.conversationId), { token: a.ws.tokens.agent, body: { labels: 'VIP' } })).status).toBe(400);
  });
});

describe('internal notes', () => {
  it('appear in the thread as notes, in order, never as the last thing said to the customer, and never on the phone', async () => {
    const { ws, contactId, conversationId } = await conversationWithCustomer();
    t.clock.advance(1);
    const note = await call(t, 'POST', `/api/v1/conversations/${conversationId}/notes`, {
      token: ws.tokens.agent,
      body: { text: 'Customer is waiting on the refund — check with accounting' },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', conversationId, authorUserId: ws.userIds.agent, mentions: [] });
    t.clock.advance(1);
    const reply = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Hello James, yes it is!', holdSeconds: 0 } });
    await settle(t);

    const thread = await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token: ws.tokens.auditor });
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((i: { kind: string; text: string }) => [i.kind, i.text])).toEqual([
      ['message', 'Hello James, yes it is!'],
      ['note', 'Customer is waiting on the refund — check with accounting'],
      ['message', 'Hello, is my order ready?'],
    ]);
    // Paging one item at a time walks messages and notes alike.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(
        t,
        'GET',
        `/api/v1/conversations/${conversationId}/messages?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ws.tokens.agent },
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(thread.body.items.map((i: { id: string }) => i.id));

    // Another note after the reply: the list still shows what was said to the customer.
    await call(t, 'POST', `/api/v1/conversations/${conversationId}/notes`, { token: ws.tokens.agent, body: { text: 'Done, refund sent' } });
    const summary = (await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token: ws.tokens.agent })).body;
    expect(summary.lastMessageText).toBe('Hello James, yes it is!');
    const screen = (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body;
    const shown = screen.devices.flatMap((d: { lines: { text: string }[] }) => d.lines.map((l) => l.text));
    expect(shown).toContain('Hello James, yes it is!');
    expect(shown.some((text: string) => text.includes('refund'))).toBe(false);
    expect(reply.status).toBe(202);
    // Nothing of a note is a message: no row, no job.
    const messages = await t.app.ctx.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).execute();
    expect(messages.map((m) => m.text).some((text) => text.includes('refund'))).toBe(false);
  });

  it('never reach the Cloud API or Evolution (asserted on the fakes)', async () => {
    const phoneNumberId = uniquePhoneNumberId();
    const cloud: CloudApiFake = await startCloudApiFake({
      phoneNumberId,
      appSecret: `secret-${phoneNumberId}`,
      verifyToken: `verify-${phoneNumberId}`,
      accessToken: `token-${phoneNumberId}`,
      serviceWindow: 'off',
    });
    closers.push(cloud);
    const evolution: EvolutionApiFake = await startEvolutionApiFake({ apiKey: `evo-notes-${process.pid}`, instance: `errata-notes-${process.pid}` });
    closers.push(evolution);
    const ws = await createTestWorkspace(t);
    const cloudChannel = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(cloud, { defaultHoldSeconds: 0 }) });
    const evoChannel = await call(t, 'POST', '/api/v1/channels', {
      token: ws.tokens.admin,
      body: { type: 'evolution', name: 'Gateway', config: { baseUrl: evolution.url, apiKey: evolution.apiKey, instance: evolution.instance } },
    });
    const contact = await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: 'Ana Souza', phone: '+55 11 99999 0002', language: 'en' } });
    for (const channelId of [cloudChannel.body.id, evoChannel.body.id]) {
      const opened = await call(t, 'POST', '/api/v1/conversations', { token: ws.tokens.agent, body: { contactId: contact.body.id, channelId } });
      const note = await call(t, 'POST', `/api/v1/conversations/${opened.body.id}/notes`, { token: ws.tokens.agent, body: { text: 'Ana, see the invoice first' } });
      expect(note.status).toBe(201);
    }
    await settle(t);
    t.clock.advance(120);
    await settle(t);
    expect(cloud.received.filter((r) => r.method === 'POST')).toEqual([]);
    expect(evolution.sent).toEqual([]);
    expect(evolution.received.filter((r) => r.path.startsWith('/message/'))).toEqual([]);
    // The channels do work: a real message goes out through each (the fakes were listening).
    await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId: contact.body.id, channelId: evoChannel.body.id, text: 'Hello Ana' } });
    await settle(t);
    expect(evolution.sent.map((m) => m.text)).toEqual(['Hello Ana']);
  });

  it('@mentions notify the teammates named (a realtime event with their ids, never the text)', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const heard: RealtimeEvent[] = [];
    const stop = t.app.ctx.bus.subscribe(ws.workspaceId, (e) => heard.push(e));
    try {
      const note = await call(t, 'POST', `/api/v1/conversations/${conversationId}/notes`, {
        token: ws.tokens.agent,
        body: { text: '@Bob Agent and @sue can you check? cc me@alice.example, @Alice' },
      });
      expect(note.body.mentions.sort()).toEqual([ws.userIds.agent, ws.userIds.agent2, ws.userIds.supervisor].sort());
      const mention = heard.find((e) => e.type === 'note.mentioned')!;
      // The author is not notified of their own mention.
      expect((mention.data!.userIds as string[]).sort()).toEqual([ws.userIds.agent2, ws.userIds.supervisor].sort());
      expect(mention.conversationId).toBe(conversationId);
      expect(JSON.stringify(mention)).not.toContain('check');
      expect(heard.some((e) => e.type === 'conversation.note_added')).toBe(true);
    } finally {
      stop();
    }
  });

  it('auditors read notes but do not write them; empty notes and other workspaces are refused', async () => {
    const { ws, conversationId } = await conversationWithCustomer();
    const path = `/api/v1/conversations/${conversationId}/notes`;
    expect((await call(t, 'POST', path, { token: ws.tokens.auditor, body: { text: 'hi' } })).status).toBe(403);
    const empty = await call(t, 'POST', path, { token: ws.tokens.agent, body: { text: '   ' } });
    expect(empty.status).toBe(400);
    expect((await call(t, 'POST', path, { token: ws.tokens.agent, body: { text: 'x'.repeat(4097) } })).status).toBe(400);
    const other = await createTestWorkspace(t);
    expect((await call(t, 'POST', path, { token: other.tokens.agent, body: { text: 'hi' } })).status).toBe(404);
    expect((await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token: other.tokens.agent })).status).toBe(404);
    // Notes are append-only, like the rest of the record.
    await call(t, 'POST', path, { token: ws.tokens.agent, body: { text: 'kept' } });
    await expect(t.app.ctx.db.deleteFrom('conversation_notes').where('conversation_id', '=', conversationId).execute()).rejects.toThrow(/append-only/);
  });
});

