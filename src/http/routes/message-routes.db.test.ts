import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createTestWorkspace,
  setupSimulator,
  startTestApp,
  type TestApp,
  type TestWorkspace,
} from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const setup = (channel: Record<string, unknown> = {}) =>
  setupSimulator(t, {
    channel: { revokeWindowSeconds: 4096, editWindowSeconds: 900, ...channel },
    contact: { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' },
  });

async function sendNow(ws: TestWorkspace, contactId: string, text = 'Bonjour Claire, le prix est de 100 €.', token = ws.tokens.agent) {
  const sent = await call(t, 'POST', '/api/v1/messages', { token, body: { contactId, text, holdSeconds: 0 } });
  expect(sent.status).toBe(202);
  await t.app.ctx.jobs.drain();
  const got = await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token });
  return got.body;
}

const screen = async (ws: TestWorkspace, contactId: string) =>
  (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body;

describe('sending', () => {
  it('accepts with 202, then the simulator delivers to the online device', async () => {
    const { ws, contactId } = await setup();
    const accepted = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, text: 'Bonjour !', holdSeconds: 0 },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('queued');
    await t.app.ctx.jobs.drain();
    const message = (await call(t, 'GET', `/api/v1/messages/${accepted.body.id}`, { token: ws.tokens.agent })).body;
    expect(message.status).toBe('delivered');
    expect(message.sentAt).toBe(t.clock.now().toISOString());
    expect(message.revocableUntil).toBe(new Date(t.clock.now().getTime() + 4096_000).toISOString());
    expect(message.editableUntil).toBe(new Date(t.clock.now().getTime() + 900_000).toISOString());
    const lines = (await screen(ws, contactId)).devices[0].lines;
    expect(lines.map((l: { text: string }) => l.text)).toEqual(['Bonjour !']);
  });

  it('the same idempotency key returns the same message and stores one', async () => {
    const { ws, contactId } = await setup();
    const body = { contactId, text: 'Une seule fois', holdSeconds: 0, idempotencyKey: 'order-42-confirmation' };
    const first = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body });
    const second = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const conversation = await call(t, 'GET', `/api/v1/conversations/${first.body.conversationId}/messages`, {
      token: ws.tokens.agent,
    });
    expect(conversation.body.items).toHaveLength(1);
  });
});

describe('hold window', () => {
  it('cancel during the hold: the customer never sees it, even after the hold ends', async () => {
    const { ws, contactId } = await setup();
    const held = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, text: 'Oups, mauvais client', holdSeconds: 30 },
    });
    expect(held.body.status).toBe('held');
    expect(held.body.holdUntil).toBe(new Date(t.clock.now().getTime() + 30_000).toISOString());
    t.clock.advance(10);
    const cancelled = await call(t, 'POST', `/api/v1/messages/${held.body.id}/cancel`, { token: ws.tokens.agent });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    t.clock.advance(60);
    await t.app.ctx.jobs.drain();
    const after = await call(t, 'GET', `/api/v1/messages/${held.body.id}`, { token: ws.tokens.agent });
    expect(after.body.status).toBe('cancelled');
    expect(after.body.sentAt).toBeNull();
    expect((await screen(ws, contactId)).devices[0].lines).toEqual([]);
  });

  it('releases at the end of the hold (not before), then cancel answers not_held', async () => {
    const { ws, contactId } = await setup();
    const held = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, text: 'Votre rendez-vous est confirmé.', holdSeconds: 20 },
    });
    t.clock.advance(19);
    await t.app.ctx.jobs.drain();
    expect((await call(t, 'GET', `/api/v1/messages/${held.body.id}`, { token: ws.tokens.agent })).body.status).toBe('held');
    t.clock.advance(1);
    await t.app.ctx.jobs.drain();
    const released = await call(t, 'GET', `/api/v1/messages/${held.body.id}`, { token: ws.tokens.agent });
    expect(released.body.status).toBe('delivered');
    const late = await call(t, 'POST', `/api/v1/messages/${held.body.id}/cancel`, { token: ws.tokens.agent });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_held');
  });
});

describe('delete for everyone', () => {
  it('succeeds at exactly the revoke window and is refused one second later', async () => {
    const { ws, contactId } = await setup();
    const a = await sendNow(ws, contactId, 'Message A');
    const b = await sendNow(ws, contactId, 'Message B');
    t.clock.advance(4096);
    const atLimit = await call(t, 'POST', `/api/v1/messages/${a.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'wrong_price' },
    });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.deletion.scope).toBe('everyone');
    t.clock.advance(1);
    const tooLate = await call(t, 'POST', `/api/v1/messages/${b.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'wrong_price' },
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe('revoke_window_expired');
    expect(tooLate.body.error.message).toMatch(/correction/);
    expect(tooLate.body.error.details.suggestion).toBe('correct');
    const untouched = await call(t, 'GET', `/api/v1/messages/${b.id}`, { token: ws.tokens.agent });
    expect(untouched.body.deletion).toBeNull();
  });

  it('still works after delete for me, and delete for me can be restored', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId);
    const hidden = await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'me', reason: 'typo' },
    });
    expect(hidden.status).toBe(200);
    expect(hidden.body.deletion).toMatchObject({ scope: 'me', reason: 'typo' });
    const list = await call(t, 'GET', `/api/v1/conversations/${m.conversationId}/messages`, { token: ws.tokens.agent });
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(m.id);
    const listAll = await call(t, 'GET', `/api/v1/conversations/${m.conversationId}/messages?includeHidden=true`, {
      token: ws.tokens.agent,
    });
    expect(listAll.body.items.map((x: { id: string }) => x.id)).toContain(m.id);

    const restored = await call(t, 'POST', `/api/v1/messages/${m.id}/restore`, { token: ws.tokens.agent });
    expect(restored.status).toBe(200);
    expect(restored.body.deletedForMe).toBeNull();

    await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, { token: ws.tokens.agent, body: { scope: 'me', reason: 'other' } });
    const revoked = await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'confidential', note: 'IBAN sent by mistake' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.deletion).toMatchObject({ scope: 'everyone', reason: 'confidential', note: 'IBAN sent by mistake' });
    expect(revoked.body.deletedForMe).not.toBeNull();
    // The original stays in the history: deletion hides, it never erases.
    expect(revoked.body.versions.map((v: { text: string }) => v.text)).toEqual([m.text]);
    const events = await call(t, 'GET', `/api/v1/messages/${m.id}/events`, { token: ws.tokens.agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['message.deleted_for_me', 'message.restored', 'message.revoked']),
    );
  });

  it('an outdated device keeps the original while a current one shows the tombstone', async () => {
    const { ws, contactId } = await setup();
    const tablet = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/devices`, {
      token: ws.tokens.admin,
      body: { label: 'Old tablet', clientVersion: '2.10.1', online: true },
    });
    expect(tablet.status).toBe(201);
    const m = await sendNow(ws, contactId, 'Mon IBAN perso : FR76 ...');
    const revoked = await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'confidential' },
    });
    const outcomes = Object.fromEntries(
      revoked.body.deletion.outcomes.map((o: { deviceLabel: string; outcome: string }) => [o.deviceLabel, o.outcome]),
    );
    expect(outcomes).toEqual({ Téléphone: 'applied', 'Old tablet': 'ignored' });
    expect(revoked.body.maybeSeen).toBe(true);
    expect(revoked.body.maybeSeenReasons).toContain('device_kept_original');
    const devices = (await screen(ws, contactId)).devices;
    const byLabel = Object.fromEntries(devices.map((d: { device: { label: string }; lines: unknown[] }) => [d.device.label, d.lines]));
    expect(byLabel.Téléphone).toMatchObject([{ kind: 'tombstone', text: 'Ce message a été supprimé' }]);
    expect(byLabel['Old tablet']).toMatchObject([{ kind: 'text', text: 'Mon IBAN perso : FR76 ...' }]);
  });

  it('an offline device applies the revoke when it reconnects before the deadline, not after', async () => {
    const { ws, contactId } = await setup({ simulator: { offlineRevokeDeadlineSeconds: 600 } });
    const laptop = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/devices`, {
      token: ws.tokens.admin,
      body: { label: 'Laptop', clientVersion: '2.24.1', online: true },
    });
    const a = await sendNow(ws, contactId, 'Message A');
    const b = await sendNow(ws, contactId, 'Message B');
    const patch = (online: boolean) =>
      call(t, 'PATCH', `/api/v1/simulator/contacts/${contactId}/devices/${laptop.body.id}`, {
        token: ws.tokens.admin,
        body: { online },
      });
    await patch(false);
    const revokeA = await call(t, 'POST', `/api/v1/messages/${a.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'typo' },
    });
    const pending = revokeA.body.deletion.outcomes.find((o: { deviceLabel: string }) => o.deviceLabel === 'Laptop');
    expect(pending.outcome).toBe('pending');
    t.clock.advance(600);
    await patch(true);
    const afterA = await call(t, 'GET', `/api/v1/messages/${a.id}`, { token: ws.tokens.agent });
    expect(afterA.body.deletion.outcomes.find((o: { deviceLabel: string }) => o.deviceLabel === 'Laptop').outcome).toBe(
      'applied',
    );

    await patch(false);
    await call(t, 'POST', `/api/v1/messages/${b.id}/delete`, { token: ws.tokens.agent, body: { scope: 'everyone', reason: 'typo' } });
    t.clock.advance(601);
    await patch(true);
    const afterB = await call(t, 'GET', `/api/v1/messages/${b.id}`, { token: ws.tokens.agent });
    expect(afterB.body.deletion.outcomes.find((o: { deviceLabel: string }) => o.deviceLabel === 'Laptop').outcome).toBe(
      'expired',
    );
    const laptopLines = (await screen(ws, contactId)).devices.find(
      (d: { device: { label: string } }) => d.device.label === 'Laptop',
    ).lines;
    expect(laptopLines.map((l: { text: string }) => l.text)).toEqual(['Ce message a été supprimé', 'Message B']);
  });

  it('a message read before its revoke is flagged "may have been seen"; an unread one is not', async () => {
    const { ws, contactId } = await setup();
    const read = await sendNow(ws, contactId, 'Lu avant suppression');
    const readResponse = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/read`, { token: ws.tokens.admin });
    expect(readResponse.status).toBe(200);
    expect(readResponse.body.readMessageIds).toEqual([read.id]);
    const unread = await sendNow(ws, contactId, 'Pas lu');
    const r1 = await call(t, 'POST', `/api/v1/messages/${read.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'wrong_price' },
    });
    expect(r1.body.readAt).not.toBeNull();
    expect(r1.body.maybeSeen).toBe(true);
    expect(r1.body.maybeSeenReasons).toContain('read_before_revoke');
    const r2 = await call(t, 'POST', `/api/v1/messages/${unread.id}/delete`, {
      token: ws.tokens.agent,
      body: { scope: 'everyone', reason: 'wrong_price' },
    });
    expect(r2.body.maybeSeen).toBe(false);
  });
});

describe('conversations', () => {
  it('a customer reply counts as unread until the team reads the conversation; search finds it', async () => {
    const { ws, contactId } = await setup();
    const reply = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/reply`, {
      token: ws.tokens.admin,
      body: { text: 'Bonjour, ma commande est-elle partie ?' },
    });
    expect(reply.status).toBe(201);
    const list = await call(t, 'GET', '/api/v1/conversations?q=commande', { token: ws.tokens.agent });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ unreadCount: 1, contact: { name: 'Claire Dubois' } });
    const read = await call(t, 'POST', `/api/v1/conversations/${reply.body.conversationId}/read`, { token: ws.tokens.agent });
    expect(read.status).toBe(204);
    const after = await call(t, 'GET', `/api/v1/conversations/${reply.body.conversationId}`, { token: ws.tokens.agent });
    expect(after.body.unreadCount).toBe(0);
    expect((await call(t, 'GET', '/api/v1/conversations?q=nothing-like-this', { token: ws.tokens.agent })).body.items).toEqual([]);
  });
});

describe('edit', () => {
  it('within the window the device shows the new text with "Edited"; after it, edit_window_expired', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId, 'Nous somme ouverts samedi.');
    t.clock.advance(900);
    const edited = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, {
      token: ws.tokens.agent,
      body: { text: 'Nous sommes ouverts samedi.' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.edited).toBe(true);
    expect(edited.body.versions.map((v: { text: string }) => v.text)).toEqual([
      'Nous somme ouverts samedi.',
      'Nous sommes ouverts samedi.',
    ]);
    const line = (await screen(ws, contactId)).devices[0].lines[0];
    expect(line).toMatchObject({ text: 'Nous sommes ouverts samedi.', editedLabel: 'Modifié' });
    t.clock.advance(1);
    const late = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, {
      token: ws.tokens.agent,
      body: { text: 'Nous sommes ouverts samedi et dimanche.' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('edit_window_expired');
  });
});

describe('permissions and isolation', () => {
  it('an agent cannot edit or delete another agent’s message; an admin can', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId, 'Message d’Alice');
    const edit = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, { token: ws.tokens.agent2, body: { text: 'Bob' } });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('forbidden');
    const del = await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, {
      token: ws.tokens.agent2,
      body: { scope: 'everyone', reason: 'other' },
    });
    expect(del.status).toBe(403);
    const auditor = await call(t, 'POST', `/api/v1/messages/${m.id}/delete`, {
      token: ws.tokens.auditor,
      body: { scope: 'me', reason: 'other' },
    });
    expect(auditor.status).toBe(403);
    const admin = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, {
      token: ws.tokens.admin,
      body: { text: 'Message d’Alice, corrigé' },
    });
    expect(admin.status).toBe(200);
  });

  it('another workspace’s ids answer not_found', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId);
    const other = await createTestWorkspace(t);
    const token = other.tokens.admin;
    for (const [method, path, body] of [
      ['GET', `/api/v1/messages/${m.id}`, undefined],
      ['POST', `/api/v1/messages/${m.id}/delete`, { scope: 'everyone', reason: 'other' }],
      ['POST', `/api/v1/messages/${m.id}/edit`, { text: 'hijack' }],
      ['POST', `/api/v1/messages/${m.id}/cancel`, undefined],
      ['GET', `/api/v1/contacts/${contactId}`, undefined],
      ['GET', `/api/v1/conversations/${m.conversationId}/messages`, undefined],
      ['GET', `/api/v1/simulator/contacts/${contactId}/screen`, undefined],
      ['POST', '/api/v1/messages', { contactId, text: 'hello', holdSeconds: 0 }],
    ] as const) {
      const response = await call(t, method, path, { token, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    const untouched = await call(t, 'GET', `/api/v1/messages/${m.id}`, { token: ws.tokens.agent });
    expect(untouched.body.deletion).toBeNull();
    expect(untouched.body.version).toBe(1);
  });
});

describe('remedy advisor', () => {
  it('ranks delete-and-correct first for confidential data inside the window, correct after it', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId);
    const inside = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=confidential`, { token: ws.tokens.agent });
    expect(inside.status).toBe(200);
    expect(inside.body.remedies[0]).toMatchObject({ remedy: 'delete_for_everyone_and_correct', secondsLeft: 4096 });
    t.clock.advance(5000);
    const after = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=confidential`, { token: ws.tokens.agent });
    expect(after.body.remedies[0].remedy).toBe('correct');
    expect(after.body.remedies.map((r: { remedy: string }) => r.remedy)).not.toContain('delete_for_everyone_and_correct');
    const bad = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=oops`, { token: ws.tokens.agent });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });
});
