import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, countMessages, setupSimulator, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const VALID_IBAN = 'FR76 3000 6000 0112 3456 7890 189';

const setup = () => setupSimulator(t);

const send = (ws: TestWorkspace, body: Record<string, unknown>, token = ws.tokens.agent) =>
  call(t, 'POST', '/api/v1/messages', { token, body: { holdSeconds: 0, ...body } });

const messageCount = (workspaceId: string) => countMessages(t, workspaceId);

describe('block', () => {
  it('a valid IBAN is refused with guard_blocked and its span; nothing is stored', async () => {
    const { ws, contactId } = await setup();
    const text = `Hi James, please pay to ${VALID_IBAN} today.`;
    const response = await send(ws, { contactId, text });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('guard_blocked');
    const iban = response.body.error.details.findings.find((f: { kind: string }) => f.kind === 'pii.iban');
    expect(iban).toMatchObject({ category: 'pii', action: 'block' });
    expect(text.slice(iban.start, iban.end).replace(/\s/g, '')).toBe(VALID_IBAN.replace(/\s/g, ''));
    expect(await messageCount(ws.workspaceId)).toBe(0);
  });

  it('the business’s own IBAN is not a finding', async () => {
    const { ws, contactId } = await setup();
    const profile = await call(t, 'PUT', '/api/v1/business-profile', { token: ws.tokens.admin, body: { ibans: [VALID_IBAN] } });
    expect(profile.status).toBe(200);
    const response = await send(ws, { contactId, text: `Hi James, our bank details for the transfer: ${VALID_IBAN}.` });
    expect(response.status).toBe(202);
    expect(response.body.guard).toBeNull();
  });

  it('acknowledging does not lift a block', async () => {
    const { ws, contactId } = await setup();
    const response = await send(ws, { contactId, text: `IBAN: ${VALID_IBAN}`, acknowledge: ['pii.iban'] });
    expect(response.status).toBe(422);
  });
});

describe('review ("four eyes")', () => {
  it('waits for a supervisor other than the author, then goes out', async () => {
    const { ws, contactId } = await setup();
    const response = await send(ws, { contactId, text: 'Hi James, my colleague Paul can be reached on +33 6 98 76 54 32.' });
    expect(response.status).toBe(202);
    expect(response.body.status).toBe('awaiting_approval');
    expect(response.body.guard.verdict).toBe('review');
    expect(response.body.approval).toMatchObject({ decision: null });
    const id = response.body.id;
    await t.app.ctx.jobs.drain();
    expect((await call(t, 'GET', `/api/v1/messages/${id}`, { token: ws.tokens.agent })).body.status).toBe('awaiting_approval');

    const queue = await call(t, 'GET', '/api/v1/approvals', { token: ws.tokens.supervisor });
    expect(queue.body.items.map((m: { id: string }) => m.id)).toEqual([id]);
    const byAuthor = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.agent });
    expect(byAuthor.status).toBe(403);
    const byAgent = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.agent2 });
    expect(byAgent.status).toBe(403);
    const approved = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.supervisor });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ decision: 'approved', decidedBy: ws.userIds.supervisor });
    await t.app.ctx.jobs.drain();
    expect((await call(t, 'GET', `/api/v1/messages/${id}`, { token: ws.tokens.agent })).body.status).toBe('delivered');
    const again = await call(t, 'POST', `/api/v1/messages/${id}/reject`, { token: ws.tokens.admin, body: { reason: 'late' } });
    expect(again.status).toBe(409);
  });

  it('a rejected message never reaches the customer', async () => {
    const { ws, contactId } = await setup();
    const response = await send(ws, { contactId, text: 'Hi James, Claire lives at 12 rue de la Paix, 75002 Paris.' });
    expect(response.body.status).toBe('awaiting_approval');
    const rejected = await call(t, 'POST', `/api/v1/messages/${response.body.id}/reject`, {
      token: ws.tokens.admin,
      body: { reason: 'Another customer’s address' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', approval: { decision: 'rejected', reason: 'Another customer’s address' } });
    await t.app.ctx.jobs.drain();
    const screen = await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin });
    expect(screen.body.devices[0].lines).toEqual([]);
    const noReason = await call(t, 'POST', `/api/v1/messages/${response.body.id}/reject`, { token: ws.tokens.admin, body: {} });
    expect(noReason.status).toBe(400);
  });
});

describe('warn', () => {
  it('a heated reply gets a longer hold; acknowledging the warnings sends it normally and is recorded', async () => {
    const { ws, contactId } = await setup();
    const text = 'THIS IS THE THIRD TIME I TELL YOU, READ MY MESSAGES!!!';
    const check = await call(t, 'POST', '/api/v1/guard/check', { token: ws.tokens.agent, body: { text, contactId } });
    expect(check.status).toBe(200);
    expect(check.body.verdict).toBe('warn');
    const kinds = [...new Set(check.body.findings.map((f: { kind: string }) => f.kind))] as string[];
    expect(kinds.some((k) => k.startsWith('tone.'))).toBe(true);
    expect(check.body.holdSeconds).toBe(30);
    expect(await messageCount(ws.workspaceId)).toBe(0);

    const held = await send(ws, { contactId, text });
    expect(held.body.status).toBe('held');
    expect(held.body.holdUntil).toBe(new Date(t.clock.now().getTime() + 30_000).toISOString());

    const acknowledged = await send(ws, { contactId, text, acknowledge: kinds });
    expect(acknowledged.body.status).toBe('queued');
    expect(acknowledged.body.guard.acknowledged).toEqual([...kinds].sort());
    const events = await call(t, 'GET', `/api/v1/messages/${acknowledged.body.id}/events`, { token: ws.tokens.agent });
    expect(events.body.items.find((e: { type: string }) => e.type === 'message.warnings_acknowledged').data.kinds).toEqual(
      [...kinds].sort(),
    );
  });
});

describe('catalogue and policy', () => {
  it('a price that disagrees with the catalogue asks for review', async () => {
    const { ws, contactId } = await setup();
    const item = await call(t, 'POST', '/api/v1/catalog', {
      token: ws.tokens.admin,
      body: { name: 'Aurora floor lamp', price: 290, currency: 'GBP' },
    });
    expect(item.status).toBe(201);
    const wrong = await call(t, 'POST', '/api/v1/guard/check', {
      token: ws.tokens.agent,
      body: { contactId, text: 'Hi James, the Aurora floor lamp is £29.' },
    });
    expect(wrong.body.verdict).toBe('review');
    expect(wrong.body.findings[0].kind).toBe('price.mismatch');
    const right = await call(t, 'POST', '/api/v1/guard/check', {
      token: ws.tokens.agent,
      body: { contactId, text: 'Hi James, the Aurora floor lamp is £290.' },
    });
    expect(right.body.verdict).toBe('pass');
    const archived = await call(t, 'PATCH', `/api/v1/catalog/${item.body.id}`, { token: ws.tokens.admin, body: { archived: true } });
    expect(archived.body.archived).toBe(true);
    const list = await call(t, 'GET', '/api/v1/catalog', { token: ws.tokens.agent });
    expect(list.body.items).toEqual([]);
    const forbidden = await call(t, 'POST', '/api/v1/catalog', { token: ws.tokens.agent, body: { name: 'X', price: 1 } });
    expect(forbidden.status).toBe(403);
  });

  it('admins change the policy; the new action applies at once', async () => {
    const { ws, contactId } = await setup();
    const text = 'Hi James, call Paul on +33 6 98 76 54 32.';
    const denied = await call(t, 'PUT', '/api/v1/guard/policy', { token: ws.tokens.supervisor, body: { categories: { pii: 'block' } } });
    expect(denied.status).toBe(403);
    const changed = await call(t, 'PUT', '/api/v1/guard/policy', { token: ws.tokens.admin, body: { kinds: { 'pii.phone': 'block' } } });
    expect(changed.status).toBe(200);
    expect(changed.body.kinds['pii.phone']).toBe('block');
    const response = await send(ws, { contactId, text });
    expect(response.status).toBe(422);
    const bad = await call(t, 'PUT', '/api/v1/guard/policy', { token: ws.tokens.admin, body: { categories: { pii: 'maybe' } } });
    expect(bad.status).toBe(400);
  });
});
