import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupSimulator, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

// Issue 17 through the API: a hand-built day of a workspace, made with the real commands on the
// simulator, and the numbers docs/analytics.md's definitions give for it (worked out below).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

// After the test clock's start (2 March 10:00), when the contact's phone was linked: a phone
// linked after a message left never receives it.
const DAY = '2026-03-10';
const from = `${DAY}T00:00:00.000Z`;
const to = '2026-03-11T00:00:00.000Z';
const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

interface Scenario {
  ws: TestWorkspace;
  channelId: string;
  contactId: string;
  ids: Record<string, string>;
}

async function send(ws: TestWorkspace, who: 'agent' | 'agent2', contactId: string, text: string, extra: Record<string, unknown> = {}) {
  const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens[who], body: { contactId, text, holdSeconds: 0, ...extra } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  await t.app.ctx.jobs.drain();
  return sent.body.id as string;
}

async function act(ws: TestWorkspace, path: string, body?: unknown, who: 'agent' | 'agent2' = 'agent') {
  const r = await call(t, 'POST', path, { token: ws.tokens[who], ...(body ? { body } : {}) });
  expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/**
 * 09:00 m1 sent; 09:02 deleted for everyone (wrong price, unread, applied); 09:05 an owning correction;
 * 09:10 the customer replies. 10:00 m2 sent, read, 10:10 deleted (typo). 11:00 m3 deleted for me then
 * restored. 12:00 m4 deleted for me, then for everyone (confidential, 13:00). 14:00 agent2 sends m5, and
 * m6 which is edited at 14:05. 15:00 a send blocked by the guard; 15:10 a held message cancelled.
 * Sent: m1 m2 m3 m4 m5 m6 + the correction = 7.
 */
async function scenario(): Promise<Scenario> {
  const { ws, channelId, contactId } = await setupSimulator(t, { channel: { revokeWindowSeconds: 4096, editWindowSeconds: 900 } });
  await call(t, 'PUT', '/api/v1/guard/policy', { token: ws.tokens.admin, body: { categories: { pii: 'block' } } });
  const ids: Record<string, string> = {};
  t.clock.set(`${DAY}T09:00:00.000Z`);
  ids.m1 = await send(ws, 'agent', contactId, 'The sofa is 100 euros.');
  t.clock.set(`${DAY}T09:02:00.000Z`);
  await act(ws, `/api/v1/messages/${ids.m1}/delete`, { scope: 'everyone', reason: 'wrong_price' });
  t.clock.set(`${DAY}T09:05:00.000Z`);
  ids.correction = await send(ws, 'agent', contactId, 'Sorry James, I made a mistake: the sofa is 1000 euros.');
  t.clock.set(`${DAY}T09:10:00.000Z`);
  await act(ws, `/api/v1/simulator/contacts/${contactId}/reply`, { text: 'Oh, ok.' });

  t.clock.set(`${DAY}T10:00:00.000Z`);
  ids.m2 = await send(ws, 'agent', contactId, 'See you on Tuesday.');
  await act(ws, `/api/v1/simulator/contacts/${contactId}/read`, {});
  t.clock.set(`${DAY}T10:10:00.000Z`);
  await act(ws, `/api/v1/messages/${ids.m2}/delete`, { scope: 'everyone', reason: 'typo' });

  t.clock.set(`${DAY}T11:00:00.000Z`);
  ids.m3 = await send(ws, 'agent', contactId, 'Your parcel left today.');
  await act(ws, `/api/v1/messages/${ids.m3}/delete`, { scope: 'me', reason: 'other' });
  await act(ws, `/api/v1/messages/${ids.m3}/restore`);

  t.clock.set(`${DAY}T12:00:00.000Z`);
  ids.m4 = await send(ws, 'agent', contactId, 'Your parcel arrives on Friday.');
  await act(ws, `/api/v1/messages/${ids.m4}/delete`, { scope: 'me', reason: 'other' });
  t.clock.set(`${DAY}T13:00:00.000Z`);
  await act(ws, `/api/v1/messages/${ids.m4}/delete`, { scope: 'everyone', reason: 'confidential' });

  t.clock.set(`${DAY}T14:00:00.000Z`);
  ids.m5 = await send(ws, 'agent2', contactId, 'Thank you for your order.');
  ids.m6 = await send(ws, 'agent2', contactId, 'Your order will arrive on Monday.');
  t.clock.set(`${DAY}T14:05:00.000Z`);
  await act(ws, `/api/v1/messages/${ids.m6}/edit`, { text: 'Your order will arrive on Tuesday.' }, 'agent2');

  t.clock.set(`${DAY}T15:00:00.000Z`);
  const blocked = await call(t, 'POST', '/api/v1/messages', {
    token: ws.tokens.agent,
    body: { contactId, text: 'Our IBAN is FR76 3000 6000 0112 3456 7890 189, my colleague’s card 4970 1012 3456 7899.', holdSeconds: 0 },
  });
  expect(blocked.status, JSON.stringify(blocked.body)).toBe(422);
  t.clock.set(`${DAY}T15:10:00.000Z`);
  const held = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'See you soon.', holdSeconds: 30 } });
  await act(ws, `/api/v1/messages/${held.body.id}/cancel`);
  ids.held = held.body.id;
  t.clock.set('2026-03-11T12:00:00.000Z');
  return { ws, channelId, contactId, ids };
}

let s: Scenario;
beforeAll(async () => {
  s = await scenario();
});

describe('GET /analytics/deletions', () => {
  it('computes each measure of the hand-built day', async () => {
    const r = await call(t, 'GET', `/api/v1/analytics/deletions?${period}`, { token: s.ws.tokens.supervisor });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({
      sent: 7,
      deletedForEveryone: 3, // m1 m2 m4
      deletedForMe: 0, // m3 restored; m4 counts as deleted for everyone
      edited: 1, // m6
      timeToDelete: { p50Seconds: 600, p90Seconds: 3_600 }, // 120, 600, 3 600 (m4: 12:00 → 13:00)
      withoutDevices: 0,
      corrected: 1, // m1: "Sorry …" 3 min after; m2 and m4 got none
      ownsMistakeRate: 1,
      byReason: { wrong_price: 1, typo: 1, confidential: 1 },
      byReasonForMe: {},
      customer: { repliesWithin24h: 1, customerDeletesWithin24h: 0, optOuts: null },
      previous: { sent: 0, deletedForEveryone: 0, deletionRate: null },
    });
    expect(b.deletionRate).toBeCloseTo(3 / 7, 12);
    expect(b.beforeReadRate).toBeCloseTo(2 / 3, 12); // m2 was read
    expect(b.unverifiableRate).toBe(0); // one current, online phone: applied everywhere
    expect(b.outcomes).toEqual({ applied: 3, pending: 0, ignored: 0, expired: 0, unknown: 0 });
    expect(b.transparencyRate).toBeCloseTo(1 / 3, 12);
    expect(b.series).toEqual([{ day: DAY, sent: 7, deletedForEveryone: 3, edited: 1, deletionRate: 3 / 7 }]);
    const agent = b.byAgent.find((a: { agentId: string }) => a.agentId === s.ws.userIds.agent);
    const agent2 = b.byAgent.find((a: { agentId: string }) => a.agentId === s.ws.userIds.agent2);
    expect(agent).toMatchObject({ sent: 5, deleted: 3, edited: 0, deletionRate: 3 / 5 });
    expect(agent2).toMatchObject({ sent: 2, deleted: 0, edited: 1, deletionRate: 0 });
  });

  it('filters by agent, channel and the contact’s language; the previous period is compared', async () => {
    const mine = await call(t, 'GET', `/api/v1/analytics/deletions?${period}&agentId=${s.ws.userIds.agent2}`, { token: s.ws.tokens.admin });
    expect(mine.body).toMatchObject({ sent: 2, deletedForEveryone: 0, edited: 1 });
    const channel = await call(t, 'GET', `/api/v1/analytics/deletions?${period}&channelId=${s.channelId}`, { token: s.ws.tokens.admin });
    expect(channel.body.sent).toBe(7);
    const french = await call(t, 'GET', `/api/v1/analytics/deletions?${period}&language=fr`, { token: s.ws.tokens.admin });
    expect(french.body).toMatchObject({ sent: 0, deletionRate: null });
    const english = await call(t, 'GET', `/api/v1/analytics/deletions?${period}&language=en`, { token: s.ws.tokens.admin });
    expect(english.body.sent).toBe(7);
    const next = await call(t, 'GET', `/api/v1/analytics/deletions?from=${encodeURIComponent(to)}&to=2026-03-12T00:00:00.000Z`, { token: s.ws.tokens.admin });
    expect(next.body).toMatchObject({ sent: 0, previous: { sent: 7, deletedForEveryone: 3 }, previousPeriod: { from, to } });
    expect(next.body.change.deletionRate).toBeNull();
  });

  it('day buckets follow tz', async () => {
    const r = await call(t, 'GET', `/api/v1/analytics/deletions?${period}&tz=Pacific/Kiritimati`, { token: s.ws.tokens.admin });
    // UTC+14: 09:00–10:00 UTC is 23:00–00:00 on 10 March there; 10:00 UTC onwards is 11 March.
    expect(r.body.series.map((d: { day: string; sent: number }) => [d.day, d.sent])).toEqual([
      ['2026-03-10', 2],
      ['2026-03-11', 5],
    ]);
  });

  it('agents read only their own numbers; auditors read the team’s', async () => {
    const own = await call(t, 'GET', `/api/v1/analytics/deletions?${period}`, { token: s.ws.tokens.agent2 });
    expect(own.status).toBe(200);
    expect(own.body.sent).toBe(2);
    expect(own.body.byAgent.map((a: { agentId: string }) => a.agentId)).toEqual([s.ws.userIds.agent2]);
    const other = await call(t, 'GET', `/api/v1/analytics/deletions?agentId=${s.ws.userIds.agent}`, { token: s.ws.tokens.agent2 });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    const auditor = await call(t, 'GET', `/api/v1/analytics/deletions?${period}`, { token: s.ws.tokens.auditor });
    expect(auditor.body.sent).toBe(7);
  });

  it('answers 400 on bad queries and 404 on another workspace’s channel or person', async () => {
    for (const q of ['from=yesterday', `from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, 'tz=Mars/Olympus', 'agentId=nope', 'format=xml', 'extra=1', 'from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      const r = await call(t, 'GET', `/api/v1/analytics/deletions?${q}`, { token: s.ws.tokens.admin });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
    const other = await setupSimulator(t);
    const channel = await call(t, 'GET', `/api/v1/analytics/deletions?channelId=${other.channelId}`, { token: s.ws.tokens.admin });
    expect(channel.status).toBe(404);
    const person = await call(t, 'GET', `/api/v1/analytics/deletions?agentId=${other.ws.userIds.agent}`, { token: s.ws.tokens.admin });
    expect(person.status).toBe(404);
    const fr = await call(t, 'GET', `/api/v1/analytics/deletions?channelId=${other.channelId}`, { token: s.ws.tokens.admin, headers: { 'accept-language': 'fr' } });
    expect(fr.body.error.message).toMatch(/introuvable/);
  });

  it('exports CSV', async () => {
    const response = await fetch(`${t.baseUrl}/api/v1/analytics/deletions?${period}&format=csv`, { headers: { authorization: `Bearer ${s.ws.tokens.admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('section,measure,dimension,value,previous');
    expect(lines).toContain('total,sent,,7,0');
    expect(lines).toContain('byReason,wrong_price,,1,');
    expect(lines).toContain(`series,sent,${DAY},7,`);
  });
});

describe('GET /analytics/prevention and /analytics/trust', () => {
  it('counts the blocked send and the undo', async () => {
    const r = await call(t, 'GET', `/api/v1/analytics/prevention?${period}`, { token: s.ws.tokens.supervisor });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ blocked: 1, undoSends: 1, sentForApproval: 0, rejectionRate: null, falseAlarmReports: 0, guardVerdicts: { block: 1 } });
    expect(r.body.guardFindings.pii).toBeGreaterThanOrEqual(1);
    const csv = await fetch(`${t.baseUrl}/api/v1/analytics/prevention?${period}&format=csv`, { headers: { authorization: `Bearer ${s.ws.tokens.admin}` } });
    expect((await csv.text()).split('\r\n')).toContain('total,blocked,,1,0');
  });

  it('scores trust by the documented formula, with the funnel', async () => {
    const r = await call(t, 'GET', `/api/v1/analytics/trust?${period}`, { token: s.ws.tokens.supervisor });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // visible 3 + ½ = 3.5 of 7 (≥ 5 %): frequency 0; transparency 1/3; may have been seen 1/3 (m2 read) → unseen 2/3
    // → round(100 × (0.3 × 1/3 + 0.2 × 2/3)) = round(23.33) = 23
    expect(r.body).toMatchObject({ score: 23, previousScore: null, trend: null });
    expect(r.body.funnel).toEqual({ mistakes: 1 + 1 + 1 + 3, caughtBeforeSend: 1, undone: 1, edited: 1, deleted: 3, corrected: 1 });
    const agent2 = r.body.byAgent.find((a: { agentId: string }) => a.agentId === s.ws.userIds.agent2);
    // agent2: visible ½ of 2 = 25 % → frequency 0; nothing deleted → 0.3 + 0.2 = 50
    expect(agent2).toMatchObject({ sent: 2, score: 50 });
  });

  it('drills down from a number to its messages', async () => {
    const r = await call(t, 'GET', `/api/v1/analytics/messages?measure=deleted&${period}`, { token: s.ws.tokens.supervisor });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual([s.ids.m4, s.ids.m2, s.ids.m1]);
    expect(r.body.items[0]).toMatchObject({ conversationId: expect.any(String), revokeReason: 'confidential' });
    const typo = await call(t, 'GET', `/api/v1/analytics/messages?measure=deleted&reason=typo&${period}`, { token: s.ws.tokens.supervisor });
    expect(typo.body.items.map((i: { id: string }) => i.id)).toEqual([s.ids.m2]);
    const notCorrected = await call(t, 'GET', `/api/v1/analytics/messages?measure=not_corrected&${period}`, { token: s.ws.tokens.supervisor });
    expect(notCorrected.body.total).toBe(2);
    const undo = await call(t, 'GET', `/api/v1/analytics/messages?measure=undo_sends&${period}`, { token: s.ws.tokens.supervisor });
    expect(undo.body.items.map((i: { id: string }) => i.id)).toEqual([s.ids.held]);
    const agentView = await call(t, 'GET', `/api/v1/analytics/messages?measure=deleted&${period}`, { token: s.ws.tokens.agent2 });
    expect(agentView.body.total).toBe(0);
  });
});

describe('settled deletion facts', () => {
  it('once stored by the job, give the same numbers as the live look-ups', async () => {
    const before = (await call(t, 'GET', `/api/v1/analytics/deletions?${period}`, { token: s.ws.tokens.admin })).body;
    const { settleDeletionFacts } = await import('../../commands/analytics/evaluate-alerts.ts');
    // Six days after: nothing is settled yet (a correction could still count).
    t.clock.set('2026-03-16T12:00:00.000Z');
    expect(await settleDeletionFacts(t.app.ctx, s.ws.workspaceId)).toBe(0);
    t.clock.set('2026-03-18T12:00:00.000Z');
    expect(await settleDeletionFacts(t.app.ctx, s.ws.workspaceId)).toBe(3);
    expect(await settleDeletionFacts(t.app.ctx, s.ws.workspaceId)).toBe(0);
    const after = (await call(t, 'GET', `/api/v1/analytics/deletions?${period}`, { token: s.ws.tokens.admin })).body;
    expect(after).toEqual(before);
  });
});
