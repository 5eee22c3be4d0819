import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, settle, setupSimulator, startTestApp, type TestApp } from '../../test-support/test-app.ts';

// The conversation list and its search say what was actually said last (issue 11, defect 2):
// the current version of the latest message that reached the customer (or came from them),
// never a draft still held, a cancelled or rejected one, or a text the edit replaced.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function summary(token: string, conversationId: string) {
  const one = await call(t, 'GET', `/api/v1/conversations/${conversationId}`, { token });
  expect(one.status).toBe(200);
  return one.body as { lastMessageText: string | null; lastMessageDeleted: boolean; lastMessageAt: string | null };
}

async function search(token: string, q: string): Promise<string[]> {
  const list = await call(t, 'GET', `/api/v1/conversations?q=${encodeURIComponent(q)}`, { token });
  expect(list.status).toBe(200);
  return list.body.items.map((c: { id: string }) => c.id);
}

describe('the last message of a conversation', () => {
  it('is never a held draft, a cancelled one or a version the edit replaced', async () => {
    const { ws, contactId, channelId } = await setupSimulator(t);
    const token = ws.tokens.agent;
    const reply = await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/reply`, {
      token: ws.tokens.admin,
      body: { text: 'Is the lamp in stock?', channelId },
    });
    const conversationId = reply.body.conversationId as string;
    expect((await summary(token, conversationId)).lastMessageText).toBe('Is the lamp in stock?');

    // Held: the customer has not received it, so it is not what was said.
    const held = await call(t, 'POST', '/api/v1/messages', { token, body: { contactId, text: 'Yes, 890 € delivered.', holdSeconds: 30 } });
    expect(held.body.status).toBe('held');
    expect((await summary(token, conversationId)).lastMessageText).toBe('Is the lamp in stock?');
    expect(await search(token, '890')).toEqual([]);
    await call(t, 'POST', `/api/v1/messages/${held.body.id}/cancel`, { token });
    await settle(t);
    expect((await summary(token, conversationId)).lastMessageText).toBe('Is the lamp in stock?');

    // Sent, then edited: the list and the search follow the current version only.
    const sent = await call(t, 'POST', '/api/v1/messages', { token, body: { contactId, text: 'It will arive tomorrow.', holdSeconds: 0, acknowledge: ['spelling.word'] } });
    expect(sent.status).toBe(202);
    await settle(t);
    expect((await summary(token, conversationId)).lastMessageText).toBe('It will arive tomorrow.');
    const edited = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/edit`, { token, body: { text: 'It will arrive tomorrow.' } });
    expect(edited.status).toBe(200);
    const after = await summary(token, conversationId);
    expect(after.lastMessageText).toBe('It will arrive tomorrow.');
    expect(after.lastMessageDeleted).toBe(false);
    expect(await search(token, 'arive')).toEqual([]);
    expect(await search(token, 'will arrive')).toEqual([conversationId]);
  });

  it('marks a message deleted for everyone instead of quoting it', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const token = ws.tokens.agent;
    const sent = await call(t, 'POST', '/api/v1/messages', { token, body: { contactId, text: 'The door code is on the board.', holdSeconds: 0 } });
    await settle(t);
    const deleted = await call(t, 'POST', `/api/v1/messages/${sent.body.id}/delete`, { token, body: { scope: 'everyone', reason: 'confidential' } });
    expect(deleted.status).toBe(200);
    const after = await summary(token, sent.body.conversationId);
    expect(after.lastMessageDeleted).toBe(true);
    expect(after.lastMessageText).toBeNull();
    expect(await search(token, 'door code')).toEqual([]);
  });

  it('is empty while the only message waits for approval', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const token = ws.tokens.agent;
    const sent = await call(t, 'POST', '/api/v1/messages', {
      token,
      body: { contactId, text: 'You can also call my colleague Marc on +33 6 12 34 56 78.', acknowledge: ['pii.phone'] },
    });
    expect(sent.body.status).toBe('awaiting_approval');
    const after = await summary(token, sent.body.conversationId);
    expect(after.lastMessageText).toBeNull();
    expect(after.lastMessageAt).toBeNull();
  });
});
