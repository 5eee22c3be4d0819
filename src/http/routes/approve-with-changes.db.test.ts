import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupSimulator, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const VALID_IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const REVIEWED = 'Hi James, my colleague Paul can be reached on +33 6 98 76 54 32.';

async function awaiting(ws: TestWorkspace, contactId: string) {
  const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: REVIEWED, holdSeconds: 0 } });
  expect(sent.body.status).toBe('awaiting_approval');
  return sent.body.id as string;
}

const screenLines = async (ws: TestWorkspace, contactId: string) =>
  (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body.devices[0].lines.map(
    (l: { text: string; edited?: boolean }) => l.text,
  );

describe('approve with changes', () => {
  it('the reviewer’s text leaves as a new version; the author’s is kept; the record says who changed it', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const id = await awaiting(ws, contactId);
    const changed = 'Hi James, Paul will call you back today.';
    const approved = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.supervisor, body: { text: changed } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      text: changed,
      version: 2,
      edited: false,
      approval: { decision: 'approved', decidedBy: ws.userIds.supervisor, changedByReviewer: true },
    });
    expect(approved.body.versions).toMatchObject([
      { version: 1, text: REVIEWED, createdBy: ws.userIds.agent },
      { version: 2, text: changed, createdBy: ws.userIds.supervisor },
    ]);
    await t.app.ctx.jobs.drain();
    // The customer gets the reviewer's text only, never labelled "Edited".
    expect(await screenLines(ws, contactId)).toEqual([changed]);
    const events = (await call(t, 'GET', `/api/v1/messages/${id}/events`, { token: ws.tokens.agent })).body.items;
    expect(events.find((e: { type: string }) => e.type === 'message.approved')).toMatchObject({
      actorUserId: ws.userIds.supervisor,
      data: { changed: true, fromVersion: 1, toVersion: 2 },
    });
  });

  it('approving as written (no body, or the same text) keeps one version', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const first = await awaiting(ws, contactId);
    const plain = await call(t, 'POST', `/api/v1/messages/${first}/approve`, { token: ws.tokens.supervisor });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ version: 1, approval: { changedByReviewer: false } });
    const second = await awaiting(ws, contactId);
    const same = await call(t, 'POST', `/api/v1/messages/${second}/approve`, { token: ws.tokens.admin, body: { text: REVIEWED } });
    expect(same.body).toMatchObject({ version: 1, approval: { changedByReviewer: false } });
  });

  it('the reviewer’s text goes through the guard: a blocked one is refused and nothing changes', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const id = await awaiting(ws, contactId);
    const blocked = await call(t, 'POST', `/api/v1/messages/${id}/approve`, {
      token: ws.tokens.supervisor,
      body: { text: `Hi James, please pay to ${VALID_IBAN}.` },
      headers: { 'accept-language': 'fr' },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('guard_blocked');
    const still = (await call(t, 'GET', `/api/v1/messages/${id}`, { token: ws.tokens.agent })).body;
    expect(still).toMatchObject({ status: 'awaiting_approval', version: 1, text: REVIEWED });
  });

  it('the author cannot approve their own message with changes either; empty text is a validation error', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const id = await awaiting(ws, contactId);
    const own = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.agent, body: { text: 'Hi James.' } });
    expect(own.status).toBe(403);
    const empty = await call(t, 'POST', `/api/v1/messages/${id}/approve`, { token: ws.tokens.supervisor, body: { text: '' } });
    expect(empty.status).toBe(400);
  });
});
