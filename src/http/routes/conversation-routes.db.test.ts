import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, countMessages, setupSimulator, startTestApp, type TestApp } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('POST /conversations (start a conversation from the inbox)', () => {
  it('opens an empty conversation with a new contact on the default channel, then sending lands in it', async () => {
    const { ws, contactId, channelId } = await setupSimulator(t);
    const opened = await call(t, 'POST', '/api/v1/conversations', { token: ws.tokens.agent, body: { contactId } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      channelId,
      contact: { id: contactId, name: 'James Carter', phone: '+447911123456' },
      lastMessageAt: null,
      lastMessageText: null,
      unreadCount: 0,
    });
    expect(await countMessages(t, ws.workspaceId)).toBe(0);
    const list = await call(t, 'GET', '/api/v1/conversations', { token: ws.tokens.agent });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([opened.body.id]);

    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Hello James!', holdSeconds: 0 } });
    expect(sent.status).toBe(202);
    expect(sent.body.conversationId).toBe(opened.body.id);
  });

  it('answers 200 with the existing conversation, unchanged', async () => {
    const { ws, contactId, channelId } = await setupSimulator(t);
    await call(t, 'POST', `/api/v1/simulator/contacts/${contactId}/reply`, { token: ws.tokens.admin, body: { text: 'Hi there', channelId } });
    const again = await call(t, 'POST', '/api/v1/conversations', { token: ws.tokens.agent, body: { contactId, channelId } });
    expect(again.status).toBe(200);
    expect(again.body.lastMessageText).toBe('Hi there');
    expect(again.body.unreadCount).toBe(1);
  });

  it('refuses auditors, unknown contacts and channels, and unknown fields', async () => {
    const { ws, contactId } = await setupSimulator(t);
    const auditor = await call(t, 'POST', '/api/v1/conversations', { token: ws.tokens.auditor, body: { contactId } });
    expect(auditor.status).toBe(403);
    const unknownContact = await call(t, 'POST', '/api/v1/conversations', {
      token: ws.tokens.agent,
      body: { contactId: '00000000-0000-4000-8000-00000000beef' },
      headers: { 'accept-language': 'fr' },
    });
    expect(unknownContact.status).toBe(404);
    expect(unknownContact.body.error.message).toBe('Contact introuvable.');
    const unknownChannel = await call(t, 'POST', '/api/v1/conversations', {
      token: ws.tokens.agent,
      body: { contactId, channelId: '00000000-0000-4000-8000-00000000beef' },
    });
    expect(unknownChannel.status).toBe(404);
    const extra = await call(t, 'POST', '/api/v1/conversations', { token: ws.tokens.agent, body: { contactId, text: 'x' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_failed');
  });
});
