import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestWorkspace, setupSimulator, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const UPDO = 'Hi James, your updo is ready for Saturday.';
const updoSpan = { start: UPDO.indexOf('updo'), end: UPDO.indexOf('updo') + 4 };
const PHONE = '+33 6 98 76 54 32';
const PHONE_TEXT = `Hi James, my colleague Paul can be reached on ${PHONE}.`;

const falseAlarm = (token: string, body: Record<string, unknown> = {}) =>
  call(t, 'POST', '/api/v1/guard/feedback', {
    token,
    body: { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: updoSpan, ...body },
  });

const check = (ws: TestWorkspace, text: string, contactId?: string) =>
  call(t, 'POST', '/api/v1/guard/check', { token: ws.tokens.agent, body: { text, ...(contactId ? { contactId } : {}) } });

const kinds = (response: { body: { findings: { kind: string }[] } }) => response.body.findings.map((f) => f.kind);

describe('POST /guard/feedback', () => {
  it('records a false alarm with who and when (the injected clock), and an event in the history', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-03-05T08:30:00.000Z');
    const response = await falseAlarm(ws.tokens.agent, { note: ' trade word ' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      verdict: 'false_alarm',
      kind: 'spelling.word',
      category: 'spelling',
      text: UPDO,
      span: updoSpan,
      phrase: 'updo',
      note: 'trade word',
      glossary: false,
      createdBy: ws.userIds.agent,
      createdAt: '2026-03-05T08:30:00.000Z',
    });
    const row = await t.app.ctx.db.selectFrom('guard_feedback').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workspace_id: ws.workspaceId, user_id: ws.userIds.agent, folded_phrase: 'updo' });
    expect(row.created_at.toISOString()).toBe('2026-03-05T08:30:00.000Z');
    const events = await t.app.ctx.db.selectFrom('message_events').selectAll().where('workspace_id', '=', ws.workspaceId).execute();
    expect(events).toEqual([
      expect.objectContaining({ type: 'guard.false_alarm_reported', actor_user_id: ws.userIds.agent, data: expect.objectContaining({ feedbackId: response.body.id }) }),
    ]);
  });

  it('records a missed mistake with its kind (or only its category)', async () => {
    const ws = await createTestWorkspace(t);
    const text = 'Had you read the terms, you would know.';
    const response = await call(t, 'POST', '/api/v1/guard/feedback', { token: ws.tokens.agent2, body: { verdict: 'missed', kind: 'tone', text } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ verdict: 'missed', kind: 'tone', category: 'tone', span: null, phrase: null, createdBy: ws.userIds.agent2 });
    const withSpan = await call(t, 'POST', '/api/v1/guard/feedback', {
      token: ws.tokens.supervisor,
      body: { verdict: 'missed', kind: 'tone.condescending', text, span: { start: 0, end: 22 } },
    });
    expect(withSpan.status).toBe(201);
    expect(withSpan.body.phrase).toBe('Had you read the terms');
  });

  it('refuses invalid bodies with 400 validation_failed, in the caller’s language, and stores nothing', async () => {
    const ws = await createTestWorkspace(t);
    const bad: Record<string, unknown>[] = [
      {},
      { verdict: 'maybe', findingKind: 'spelling.word', text: UPDO, span: updoSpan },
      { verdict: 'false_alarm', text: UPDO, span: updoSpan },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO },
      { verdict: 'false_alarm', findingKind: 'Spelling Word', text: UPDO, span: updoSpan },
      { verdict: 'false_alarm', findingKind: 'weather.rain', text: UPDO, span: updoSpan },
      { verdict: 'false_alarm', findingKind: 'spelling', text: UPDO, span: updoSpan },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: { start: 5, end: 5 } },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: { start: -1, end: 3 } },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: { start: 0, end: 500 } },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: '   ', span: { start: 0, end: 2 } },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: 'x'.repeat(4_097), span: { start: 0, end: 2 } },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: updoSpan, extra: 1 },
      { verdict: 'false_alarm', findingKind: 'tone.blaming', text: UPDO, span: updoSpan, glossary: true },
      { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: updoSpan, note: 'n'.repeat(1_001) },
      { verdict: 'missed', text: UPDO },
      { verdict: 'missed', kind: 'typo', text: UPDO },
      { verdict: 'missed', kind: 'tone', text: UPDO, findingKind: 'tone.blaming' },
    ];
    for (const body of bad) {
      const response = await call(t, 'POST', '/api/v1/guard/feedback', { token: ws.tokens.agent, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    const french = await call(t, 'POST', '/api/v1/guard/feedback', {
      token: ws.tokens.agent,
      headers: { 'accept-language': 'fr' },
      body: { verdict: 'false_alarm', findingKind: 'spelling.word', text: UPDO, span: { start: 0, end: 500 } },
    });
    expect(french.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('plage'), details: { field: 'span' } });
    const malformed = await call(t, 'POST', '/api/v1/guard/feedback', { token: ws.tokens.agent, body: '{"verdict":' });
    expect(malformed.status).toBe(400);
    const stored = await t.app.ctx.db.selectFrom('guard_feedback').select('id').where('workspace_id', '=', ws.workspaceId).execute();
    expect(stored).toEqual([]);
  });

  it('auditors may not record feedback; no token is 401', async () => {
    const ws = await createTestWorkspace(t);
    expect((await falseAlarm(ws.tokens.auditor)).status).toBe(403);
    const anonymous = await call(t, 'POST', '/api/v1/guard/feedback', { body: { verdict: 'missed', kind: 'tone', text: 'x' } });
    expect(anonymous.status).toBe(401);
  });

  it('the table is append-only', async () => {
    const ws = await createTestWorkspace(t);
    const { body } = await falseAlarm(ws.tokens.agent);
    await expect(t.app.ctx.db.updateTable('guard_feedback').set({ note: 'changed' }).where('id', '=', body.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.app.ctx.db.deleteFrom('guard_feedback').where('id', '=', body.id).execute()).rejects.toThrow(/append-only/);
  });
});

describe('GET /guard/feedback/export', () => {
  it('answers JSON Lines in the corpus format, only the caller’s workspace, to admins and supervisors', async () => {
    const ws = await createTestWorkspace(t);
    const other = await createTestWorkspace(t);
    await falseAlarm(other.tokens.agent);
    const fa = await falseAlarm(ws.tokens.agent);
    const missedText = 'Your card 4970 1012 3456 7890 is on file.';
    const missed = await call(t, 'POST', '/api/v1/guard/feedback', {
      token: ws.tokens.agent2,
      body: { verdict: 'missed', kind: 'pii.card', text: missedText, span: { start: 10, end: 29 } },
    });
    const category = await call(t, 'POST', '/api/v1/guard/feedback', { token: ws.tokens.agent2, body: { verdict: 'missed', kind: 'tone', text: 'Read the terms.' } });

    const response = await fetch(`${t.baseUrl}/api/v1/guard/feedback/export`, { headers: { authorization: `Bearer ${ws.tokens.admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const body = await response.text();
    expect(body.endsWith('\n')).toBe(true);
    const lines = body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: `fb-${fa.body.id}`, text: UPDO, expect: [], notExpected: [{ kind: 'spelling.word', text: 'updo' }] },
      { id: `fb-${missed.body.id}`, text: missedText, expect: [{ kind: 'pii.card', text: '4970 1012 3456 7890' }] },
      { id: `fb-${category.body.id}`, text: 'Read the terms.', expect: [{ category: 'tone' }] },
    ]);
    // Every label's text is in its message, as the corpus loader requires.
    for (const line of lines) for (const label of line.expect) if (label.text) expect(line.text).toContain(label.text);

    expect((await call(t, 'GET', '/api/v1/guard/feedback/export', { token: ws.tokens.supervisor })).status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/export', { token: ws.tokens.agent })).status).toBe(403);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/export', { token: ws.tokens.auditor })).status).toBe(403);
  });
});

describe('GET /guard/feedback/stats', () => {
  it('false alarms per kind against the findings stored with accepted messages; admins and supervisors only', async () => {
    const { ws, contactId } = await setupSimulator(t);
    t.clock.set('2026-04-01T09:00:00.000Z');
    for (let i = 0; i < 4; i++) {
      const sent = await call(t, 'POST', '/api/v1/messages', {
        token: ws.tokens.agent,
        body: { contactId, text: UPDO, holdSeconds: 0, acknowledge: ['spelling.word'] },
      });
      expect(sent.status).toBe(202);
    }
    await falseAlarm(ws.tokens.agent);
    await call(t, 'POST', '/api/v1/guard/feedback', { token: ws.tokens.agent, body: { verdict: 'missed', kind: 'tone', text: 'Read the terms.' } });
    const stats = await call(t, 'GET', '/api/v1/guard/feedback/stats', { token: ws.tokens.supervisor });
    expect(stats.status).toBe(200);
    expect(stats.body.since).toBe('2026-03-02T09:00:00.000Z');
    expect(stats.body.kinds).toEqual([
      { kind: 'spelling.word', category: 'spelling', falseAlarms: 1, missed: 0, findings: 4, falseAlarmRate: 0.25 },
      { kind: 'tone', category: 'tone', falseAlarms: 0, missed: 1, findings: 0, falseAlarmRate: null },
    ]);
    // A window that ends before everything: nothing counted.
    t.clock.set('2026-06-01T09:00:00.000Z');
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats?days=7', { token: ws.tokens.admin })).body.kinds).toEqual([]);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats?days=0', { token: ws.tokens.admin })).status).toBe(400);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats?days=x', { token: ws.tokens.admin })).status).toBe(400);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats?other=1', { token: ws.tokens.admin })).status).toBe(400);
    expect((await call(t, 'GET', '/api/v1/guard/feedback/stats', { token: ws.tokens.agent })).status).toBe(403);
  });
});

describe('/guard/allowlist', () => {
  it('is admin-only: agents, supervisors and auditors get 403 and change nothing', async () => {
    const ws = await createTestWorkspace(t);
    const added = await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: 'updo', kind: 'spelling.word' } });
    expect(added.status).toBe(201);
    for (const token of [ws.tokens.agent, ws.tokens.supervisor, ws.tokens.auditor]) {
      expect((await call(t, 'GET', '/api/v1/guard/allowlist', { token })).status).toBe(403);
      expect((await call(t, 'GET', '/api/v1/guard/allowlist?proposals=1', { token })).status).toBe(403);
      expect((await call(t, 'POST', '/api/v1/guard/allowlist', { token, body: { text: 'balayage' } })).status).toBe(403);
      expect((await call(t, 'DELETE', `/api/v1/guard/allowlist/${added.body.id}`, { token })).status).toBe(403);
      expect((await call(t, 'POST', '/api/v1/guard/glossary', { token, body: { word: 'balayage' } })).status).toBe(403);
    }
    const list = await call(t, 'GET', '/api/v1/guard/allowlist', { token: ws.tokens.admin });
    expect(list.body.items.map((e: { text: string }) => e.text)).toEqual(['updo']);
  });

  it('adds, lists and removes entries; removal is recorded, never a deletion; validation and conflicts', async () => {
    const ws = await createTestWorkspace(t);
    t.clock.set('2026-03-10T12:00:00.000Z');
    const added = await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: '  As  agreed ', category: 'tone' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ text: 'As agreed', kind: null, category: 'tone', createdBy: ws.userIds.admin, createdAt: '2026-03-10T12:00:00.000Z', removedAt: null });
    const duplicate = await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: 'AS AGREED', category: 'tone' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    for (const body of [{}, { text: '' }, { text: 'x', kind: 'tone' }, { text: 'x', category: 'weather' }, { text: 'x', kind: 'tone.blaming', category: 'tone' }, { text: 'x'.repeat(201) }, { text: 'x', extra: true }]) {
      const response = await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(t, 'POST', '/api/v1/guard/glossary', { token: ws.tokens.admin, body: { word: 'two words' } })).status).toBe(400);
    expect((await call(t, 'GET', '/api/v1/guard/allowlist?proposals=yes', { token: ws.tokens.admin })).status).toBe(400);
    expect((await call(t, 'DELETE', '/api/v1/guard/allowlist/not-a-uuid', { token: ws.tokens.admin })).status).toBe(400);
    expect((await call(t, 'DELETE', `/api/v1/guard/allowlist/${crypto.randomUUID()}`, { token: ws.tokens.admin })).status).toBe(404);

    t.clock.set('2026-03-11T12:00:00.000Z');
    const removed = await call(t, 'DELETE', `/api/v1/guard/allowlist/${added.body.id}`, { token: ws.tokens.admin });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ removedAt: '2026-03-11T12:00:00.000Z', removedBy: ws.userIds.admin });
    const again = await call(t, 'DELETE', `/api/v1/guard/allowlist/${added.body.id}`, { token: ws.tokens.admin });
    expect(again.body.removedAt).toBe('2026-03-11T12:00:00.000Z');
    expect((await call(t, 'GET', '/api/v1/guard/allowlist', { token: ws.tokens.admin })).body.items).toEqual([]);
    const withRemoved = await call(t, 'GET', '/api/v1/guard/allowlist?includeRemoved=1', { token: ws.tokens.admin });
    expect(withRemoved.body.items).toEqual([removed.body]);
    // Once removed, the phrase can be allowed again.
    expect((await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: 'as agreed', category: 'tone' } })).status).toBe(201);
    const events = await t.app.ctx.db
      .selectFrom('message_events')
      .select(['type', 'actor_user_id'])
      .where('workspace_id', '=', ws.workspaceId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['guard.allowlist_entry_added', 'guard.allowlist_entry_removed', 'guard.allowlist_entry_added']);
    expect(events.every((e) => e.actor_user_id === ws.userIds.admin)).toBe(true);
    await expect(t.app.ctx.db.deleteFrom('guard_allowlist').where('id', '=', added.body.id).execute()).rejects.toThrow(/only recording a removal/);
  });

  it('proposes a phrase after three false alarms on the same folded phrase and kind, until it is on the list', async () => {
    const ws = await createTestWorkspace(t);
    const proposals = async () => (await call(t, 'GET', '/api/v1/guard/allowlist?proposals=1', { token: ws.tokens.admin })).body.proposals;
    await falseAlarm(ws.tokens.agent);
    const shouted = 'Hi James, your UPDO is ready.';
    await falseAlarm(ws.tokens.agent2, { text: shouted, span: { start: 15, end: 19 } });
    // Same phrase, another kind: counted apart.
    await falseAlarm(ws.tokens.agent, { findingKind: 'tone.dismissive' });
    expect(await proposals()).toEqual([]);
    expect((await call(t, 'GET', '/api/v1/guard/allowlist', { token: ws.tokens.admin })).body.proposals).toBeUndefined();
    t.clock.set('2026-03-20T10:00:00.000Z');
    await falseAlarm(ws.tokens.supervisor, { text: 'Your Updo is booked', span: { start: 5, end: 9 } });
    expect(await proposals()).toEqual([
      { text: 'Updo', kind: 'spelling.word', category: 'spelling', count: 3, reporters: 3, lastAt: '2026-03-20T10:00:00.000Z', glossary: false },
    ]);
    // Another workspace's reports never count here.
    const other = await createTestWorkspace(t);
    for (const token of [other.tokens.agent, other.tokens.agent2, other.tokens.admin]) await falseAlarm(token, { text: 'balayage done', span: { start: 0, end: 8 } });
    expect((await proposals()).map((p: { text: string }) => p.text)).toEqual(['Updo']);
    // Accepted: on the list, no longer proposed.
    expect((await call(t, 'POST', '/api/v1/guard/glossary', { token: ws.tokens.admin, body: { word: 'Updo' } })).status).toBe(201);
    expect(await proposals()).toEqual([]);
  });

  it('a glossary wish on a spelling false alarm is proposed at once', async () => {
    const ws = await createTestWorkspace(t);
    await falseAlarm(ws.tokens.agent, { glossary: true });
    const list = await call(t, 'GET', '/api/v1/guard/allowlist?proposals=true', { token: ws.tokens.admin });
    expect(list.body.proposals).toMatchObject([{ text: 'updo', kind: 'spelling.word', count: 1, glossary: true }]);
  });

  it('is scoped to the workspace: another workspace’s entries are neither listed, removable nor applied', async () => {
    const a = await setupSimulator(t);
    const b = await setupSimulator(t);
    const entry = await call(t, 'POST', '/api/v1/guard/glossary', { token: b.ws.tokens.admin, body: { word: 'updo' } });
    expect(entry.status).toBe(201);
    expect((await call(t, 'GET', '/api/v1/guard/allowlist', { token: a.ws.tokens.admin })).body.items).toEqual([]);
    expect((await call(t, 'DELETE', `/api/v1/guard/allowlist/${entry.body.id}`, { token: a.ws.tokens.admin })).status).toBe(404);
    expect(kinds(await check(a.ws, UPDO, a.contactId))).toEqual(['spelling.word']);
    expect(kinds(await check(b.ws, UPDO, b.contactId))).toEqual([]);
  });
});

describe('the guard honours the allow-list', () => {
  it('a glossary word drops the spelling finding from /guard/check at once, and comes back when removed', async () => {
    const { ws, contactId } = await setupSimulator(t);
    expect(kinds(await check(ws, UPDO, contactId))).toEqual(['spelling.word']);
    const entry = await call(t, 'POST', '/api/v1/guard/glossary', { token: ws.tokens.admin, body: { word: 'UPDO' } });
    expect(entry.body).toMatchObject({ text: 'UPDO', kind: 'spelling.word' });
    const after = await check(ws, UPDO, contactId);
    expect(after.body).toMatchObject({ verdict: 'pass', findings: [] });
    // Only spelling: the same word flagged as another kind would stay (not tested here), and another word stays flagged.
    expect(kinds(await check(ws, 'Hi James, the blorpage is ready.', contactId))).toEqual(['spelling.word']);
    await call(t, 'DELETE', `/api/v1/guard/allowlist/${entry.body.id}`, { token: ws.tokens.admin });
    expect(kinds(await check(ws, UPDO, contactId))).toEqual(['spelling.word']);
  });

  it('an entry for a kind lets POST /messages through without the finding (no review, nothing stored)', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const before = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: PHONE_TEXT, holdSeconds: 0 } });
    expect(before.status).toBe(202);
    expect(before.body.guard.findings.map((f: { kind: string }) => f.kind)).toContain('pii.phone');
    // An entry for another kind changes nothing.
    await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: PHONE, kind: 'pii.iban' } });
    expect(kinds(await check(ws, PHONE_TEXT, contactId))).toContain('pii.phone');
    await call(t, 'POST', '/api/v1/guard/allowlist', { token: ws.tokens.admin, body: { text: PHONE, kind: 'pii.phone' } });
    const after = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: PHONE_TEXT, holdSeconds: 0 } });
    expect(after.status).toBe(202);
    expect(after.body.guard?.findings ?? []).not.toContainEqual(expect.objectContaining({ kind: 'pii.phone' }));
    expect(after.body.status).not.toBe('awaiting_approval');
  });
});
