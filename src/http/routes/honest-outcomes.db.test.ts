import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupSimulator, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

// Issue 11, defects 4 and 5 through the API: an edit has an outcome per device and the advisor
// knows an outdated app will ignore it; a message awaiting approval is withdrawn, not corrected,
// and a rejected one is edited and resubmitted.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const setup = () =>
  setupSimulator(t, {
    channel: { revokeWindowSeconds: 4096, editWindowSeconds: 900 },
    contact: { name: 'Claire Dubois', phone: '+33 6 12 34 56 78', language: 'fr' },
  });

async function sendNow(ws: TestWorkspace, contactId: string, text: string) {
  const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text, holdSeconds: 0, acknowledge: ['spelling.word'] } });
  expect(sent.status).toBe(202);
  await t.app.ctx.jobs.drain();
  return sent.body as { id: string };
}

const screenLines = async (ws: TestWorkspace, contactId: string) =>
  Object.fromEntries(
    (await call(t, 'GET', `/api/v1/simulator/contacts/${contactId}/screen`, { token: ws.tokens.admin })).body.devices.map(
      (d: { device: { label: string }; lines: { text: string }[] }) => [d.device.label, d.lines.map((l) => l.text)],
    ),
  );

describe('an edit, per device (defect 4)', () => {
  it('says which device ignored it, and the advisor ranks an edit lower when an outdated app would', async () => {
    const { ws, contactId } = await setup();
    await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/devices`, {
      token: ws.tokens.admin,
      body: { label: 'Old tablet', clientVersion: '2.10.1', online: true },
    });
    const m = await sendNow(ws, contactId, 'Votre commande arive demain.');

    const advice = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=typo`, { token: ws.tokens.agent });
    expect(advice.status).toBe(200);
    const edit = advice.body.remedies.find((r: { remedy: string }) => r.remedy === 'edit');
    expect(advice.body.remedies[0].remedy).not.toBe('edit');
    expect(edit.reason.fr).toMatch(/obsolète/);

    const edited = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, { token: ws.tokens.agent, body: { text: 'Votre commande arrive demain.' } });
    expect(edited.status).toBe(200);
    const outcomes = Object.fromEntries(edited.body.editOutcomes.map((o: { deviceLabel: string; outcome: string }) => [o.deviceLabel, o.outcome]));
    expect(outcomes).toEqual({ Téléphone: 'applied', 'Old tablet': 'ignored' });
    const lines = await screenLines(ws, contactId);
    expect(lines['Old tablet']).toContain('Votre commande arive demain.');
    expect(lines.Téléphone).toContain('Votre commande arrive demain.');
  });

  it('no edit, no outcomes; all devices current: applied everywhere and edit still first for a typo', async () => {
    const { ws, contactId } = await setup();
    const m = await sendNow(ws, contactId, 'Votre commande arive demain.');
    const before = await call(t, 'GET', `/api/v1/messages/${m.id}`, { token: ws.tokens.agent });
    expect(before.body.editOutcomes).toEqual([]);
    const advice = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=typo`, { token: ws.tokens.agent });
    expect(advice.body.remedies[0].remedy).toBe('edit');
    const edited = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, { token: ws.tokens.agent, body: { text: 'Votre commande arrive demain.' } });
    expect(edited.body.editOutcomes.map((o: { outcome: string }) => o.outcome)).toEqual(['applied']);
  });
});

describe('a message awaiting approval (defect 5)', () => {
  const risky = 'Vous pouvez aussi appeler mon collègue Marc au +33 6 98 76 54 32.';

  async function sendForApproval(ws: TestWorkspace, contactId: string) {
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: risky, acknowledge: ['pii.phone'] } });
    expect(sent.body.status).toBe('awaiting_approval');
    return sent.body as { id: string };
  }

  it('the advisor offers to withdraw it, never a correction; the author withdraws it', async () => {
    const { ws, contactId } = await setup();
    const m = await sendForApproval(ws, contactId);
    const advice = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=wrong_recipient`, { token: ws.tokens.agent });
    expect(advice.body.remedies.map((r: { remedy: string }) => r.remedy)).toEqual(['cancel']);
    const other = await call(t, 'POST', `/api/v1/messages/${m.id}/cancel`, { token: ws.tokens.agent2 });
    expect(other.status).toBe(403);
    const withdrawn = await call(t, 'POST', `/api/v1/messages/${m.id}/cancel`, { token: ws.tokens.agent });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('cancelled');
    const approvals = await call(t, 'GET', '/api/v1/approvals', { token: ws.tokens.supervisor });
    expect(approvals.body.items.map((i: { id: string }) => i.id)).not.toContain(m.id);
  });

  it('rejected: the author edits and resubmits it; the guard reads the new text; it goes back for approval', async () => {
    const { ws, contactId } = await setup();
    const m = await sendForApproval(ws, contactId);
    const rejected = await call(t, 'POST', `/api/v1/messages/${m.id}/reject`, { token: ws.tokens.supervisor, body: { reason: 'No personal numbers.' } });
    expect(rejected.body.status).toBe('rejected');
    const advice = await call(t, 'GET', `/api/v1/messages/${m.id}/remedies?mistake=confidential`, { token: ws.tokens.agent });
    expect(advice.body.remedies[0].remedy).toBe('edit');

    const blocked = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, {
      token: ws.tokens.agent,
      body: { text: 'Virement sur FR14 2004 1010 0505 0001 3M02 606 aujourd’hui.' },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('guard_blocked');

    const text = 'Vous pouvez appeler notre boutique au numéro indiqué sur votre facture.';
    const resubmitted = await call(t, 'POST', `/api/v1/messages/${m.id}/edit`, { token: ws.tokens.agent, body: { text } });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'awaiting_approval', text, version: 2, edited: false, approval: { decision: null, reason: null } });
    expect(resubmitted.body.versions.map((v: { text: string }) => v.text)).toEqual([risky, text]);
    expect(resubmitted.body.guard.findings.map((f: { kind: string }) => f.kind)).not.toContain('pii.phone');
    const approvals = await call(t, 'GET', '/api/v1/approvals', { token: ws.tokens.supervisor });
    expect(approvals.body.items.map((i: { id: string }) => i.id)).toContain(m.id);
    const events = await call(t, 'GET', `/api/v1/messages/${m.id}/events`, { token: ws.tokens.agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['message.rejected', 'message.resubmitted']));
  });
});
