import { afterEach, describe, expect, it } from 'vitest';
import { type EvolutionApiFake, type EvolutionApiFakeOptions, startEvolutionApiFake } from './evolution-api-fake.ts';
import { type WebhookRecorder, startWebhookRecorder } from './fake-http.ts';

const CUSTOMER = '5511999990001';
const JID = `${CUSTOMER}@s.whatsapp.net`;
let fake: EvolutionApiFake | undefined;
let recorder: WebhookRecorder | undefined;

afterEach(async () => {
  await fake?.close();
  await recorder?.close();
  fake = undefined;
  recorder = undefined;
});

async function start(opts: EvolutionApiFakeOptions = {}): Promise<EvolutionApiFake> {
  fake = await startEvolutionApiFake(opts);
  return fake;
}

function manualClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function call(
  f: EvolutionApiFake,
  method: string,
  path: string,
  body?: unknown,
  init: { apikey?: string | null; signal?: AbortSignal } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = init.apikey === undefined ? f.apiKey : init.apikey;
  if (key !== null) headers.apikey = key;
  const res = await fetch(`${f.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: init.signal,
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: the helper reads arbitrary JSON answers
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

const sendText = (f: EvolutionApiFake, body: unknown = { number: CUSTOMER, text: 'Olá!' }, init = {}) =>
  call(f, 'POST', `/message/sendText/${f.instance}`, body, init);

describe('Evolution API fake: sendText', () => {
  it('answers 201 with the WhatsApp Web message (key.id, remoteJid, fromMe, PENDING) and records the request', async () => {
    const clock = manualClock();
    const f = await start({ now: clock.now });
    const res = await sendText(f, { number: CUSTOMER, text: 'Olá!', delay: 1200, linkPreview: false });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      key: { remoteJid: JID, fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]{36}$/) },
      pushName: '',
      status: 'PENDING',
      message: { conversation: 'Olá!' },
      contextInfo: null,
      messageType: 'conversation',
      messageTimestamp: clock.now() / 1000,
      instanceId: f.instanceId,
      source: 'unknown',
    });
    expect(f.received[0]).toMatchObject({
      method: 'POST',
      path: `/message/sendText/${f.instance}`,
      headers: expect.objectContaining({ apikey: f.apiKey, 'content-type': 'application/json' }),
      body: { number: CUSTOMER, text: 'Olá!', delay: 1200, linkPreview: false },
    });
    expect(f.sent).toEqual([
      expect.objectContaining({ id: res.json.key.id, remoteJid: JID, text: 'Olá!', options: { delay: 1200, linkPreview: false } }),
    ]);
  });

  it('answers 401 without / with a wrong apikey, 404 for another instance or route', async () => {
    const f = await start();
    for (const apikey of [null, 'wrong']) {
      const res = await sendText(f, undefined, { apikey });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } });
    }
    const other = await call(f, 'POST', '/message/sendText/other', { number: CUSTOMER, text: 'x' });
    expect(other.status).toBe(404);
    expect(other.json).toEqual({
      status: 404,
      error: 'Not Found',
      response: { message: ['The "other" instance does not exist'] },
    });
    const put = await call(f, 'PUT', `/chat/updateMessage/${f.instance}`, {});
    expect(put.status).toBe(404);
    expect(put.json.response.message).toEqual([`Cannot PUT /chat/updateMessage/${f.instance}`]);
    expect(f.sent).toHaveLength(0);
  });

  it('answers 400 with the list of problems, and 400 {exists:false} for a number not on WhatsApp', async () => {
    const f = await start({ notOnWhatsApp: ['5511999990404'] });
    const invalid = await sendText(f, { number: '', delay: 'soon' });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toEqual({
      status: 400,
      error: 'Bad Request',
      response: { message: [expect.stringContaining('number'), expect.stringContaining('text'), expect.stringContaining('delay')] },
    });
    const absent = await sendText(f, { number: '+55 11 99999-0404', text: 'x' });
    expect(absent.status).toBe(400);
    expect(absent.json.response.message).toEqual([
      { jid: '5511999990404@s.whatsapp.net', exists: false, number: '+55 11 99999-0404' },
    ]);
  });
});

describe('Evolution API fake: delete for everyone', () => {
  it('answers 201 with a REVOKE protocol message whatever the outcome, and records the real outcome', async () => {
    const clock = manualClock();
    const f = await start({ now: clock.now });
    const { json: sent } = await sendText(f);
    const del = (body: unknown) => call(f, 'DELETE', `/chat/deleteMessageForEveryone/${f.instance}`, body);

    const ok = await del({ id: sent.key.id, remoteJid: JID, fromMe: true });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({
      key: { remoteJid: JID, fromMe: true, id: expect.stringMatching(/^3EB0/) },
      message: { protocolMessage: { key: { remoteJid: JID, fromMe: true, id: sent.key.id }, type: 'REVOKE' } },
      messageTimestamp: clock.now() / 1000,
      status: 'PENDING',
    });
    expect((await del({ id: '3EB0UNKNOWN', remoteJid: JID, fromMe: true })).status).toBe(201);
    expect((await del({ id: 'CUSTOMERMSG', remoteJid: JID, fromMe: false, participant: JID })).status).toBe(201);

    const { json: old } = await sendText(f);
    clock.advance(48 * 3_600_000 + 1);
    expect((await del({ id: old.key.id, remoteJid: JID, fromMe: true })).status).toBe(201);
    const { json: late } = await sendText(f);
    f.setBehaviour({ revokesIgnored: true });
    expect((await del({ id: late.key.id, remoteJid: JID, fromMe: true })).status).toBe(201);

    expect(f.revokes.map((r) => [r.effective, r.reason])).toEqual([
      [true, 'ok'],
      [false, 'unknown-message'],
      [false, 'unknown-message'],
      [false, 'too-old'],
      [false, 'ignored'],
    ]);
    expect(f.revokes[2]?.participant).toBe(JID);
    expect(f.sent[0]?.deleted).toBe(true);
  });

  it('validates id, fromMe and remoteJid', async () => {
    const f = await start();
    const res = await call(f, 'DELETE', `/chat/deleteMessageForEveryone/${f.instance}`, { id: 'x', fromMe: 'yes' });
    expect(res.status).toBe(400);
    expect(res.json.response.message).toEqual([expect.stringContaining('fromMe'), expect.stringContaining('remoteJid')]);
    expect(f.revokes).toHaveLength(0);
  });
});

describe('Evolution API fake: edit', () => {
  it('edits our own text within 15 minutes (200 + MESSAGE_EDIT) and refuses otherwise', async () => {
    const clock = manualClock();
    const f = await start({ now: clock.now });
    const { json: sent } = await sendText(f);
    const edit = (body: unknown) => call(f, 'POST', `/chat/updateMessage/${f.instance}`, body);
    const body = (text: string, key: Record<string, unknown> = {}) => ({
      number: CUSTOMER,
      key: { id: sent.key.id, remoteJid: JID, fromMe: true, ...key },
      text,
    });

    clock.advance(60_000);
    const ok = await edit(body('Olá, Ana!'));
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      key: { remoteJid: JID, fromMe: true, id: expect.stringMatching(/^3EB0/) },
      message: {
        protocolMessage: {
          key: { remoteJid: JID, fromMe: true, id: sent.key.id },
          type: 'MESSAGE_EDIT',
          editedMessage: { conversation: 'Olá, Ana!' },
          timestampMs: clock.now(),
        },
      },
      messageTimestamp: clock.now() / 1000,
      status: 'PENDING',
    });
    expect(f.sent[0]?.text).toBe('Olá, Ana!');

    expect((await edit(body('x', { fromMe: false }))).json.response.message).toEqual(['You can only edit your own messages']);
    expect((await edit(body('x', { id: '3EB0NOPE' }))).status).toBe(404);
    expect((await edit({ ...body('x'), number: '5511000000000' })).json.response.message).toEqual(['RemoteJid does not match']);
    clock.advance(15 * 60_000);
    const late = await edit(body('too late'));
    expect(late.status).toBe(400);
    expect(late.json).toEqual({ status: 400, error: 'Bad Request', response: { message: ['Message is older than 15 minutes'] } });
    const invalid = await edit({ number: CUSTOMER, text: 'x' });
    expect(invalid.status).toBe(400);
    expect(f.edits).toHaveLength(1);
  });
});

describe('Evolution API fake: failure injection', () => {
  it('500 envelope, 429 with Retry-After, hang, and accept-then-drop', async () => {
    const f = await start();
    f.failNext({ kind: 'serverError' });
    f.failNext({ kind: 'disconnected' });
    f.failNext({ kind: 'rateLimit', retryAfterSeconds: 2 });
    const e500 = await sendText(f);
    expect(e500.status).toBe(500);
    expect(e500.json).toEqual({ status: 500, error: 'Internal Server Error', response: { message: [expect.any(String)] } });
    expect((await sendText(f)).json.response.message).toEqual(['Connection Closed']);
    const limited = await sendText(f);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(f.sent).toHaveLength(0);

    f.failNext({ kind: 'hang' });
    await expect(sendText(f, undefined, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    f.failNext({ kind: 'acceptThenDrop' });
    await expect(sendText(f)).rejects.toThrow();
    expect(f.sent).toHaveLength(1);
    expect((await sendText(f)).status).toBe(201);
  });
});

describe('Evolution API fake: webhooks', () => {
  it('sends every event kind in the v2 envelope with the apikey header', async () => {
    recorder = await startWebhookRecorder();
    const clock = manualClock();
    const f = await start({ now: clock.now, webhookUrl: 'unused' });
    f.setWebhookUrl(recorder.url);
    const { json: sent } = await sendText(f);
    const at = clock.now();

    await f.sendWebhook(recorder.url, f.webhooks.upsert({ from: CUSTOMER, text: 'Oi', id: 'CUST1', pushName: 'Ana', at }));
    await f.ack(sent.key.id, 'DELIVERY_ACK');
    await f.sendWebhook(recorder.url, f.webhooks.delete({ id: 'CUST1', remoteJid: JID, at }));
    await f.sendWebhook(recorder.url, f.webhooks.delete({ id: 'CUST1', remoteJid: JID, at, shape: 'wrapped' }));
    await f.sendWebhook(recorder.url, f.webhooks.edited({ id: 'CUST1', remoteJid: JID, text: 'Oi!', at }));
    const reqs = await recorder.waitFor(5);

    const envelope = (event: string, data: unknown) => ({
      event,
      instance: f.instance,
      data,
      destination: recorder?.url,
      date_time: new Date(at).toISOString(),
      sender: `${f.ownNumber}@s.whatsapp.net`,
      server_url: f.url,
      apikey: f.apiKey,
    });
    for (const r of reqs) expect(r.headers.apikey).toBe(f.apiKey);
    expect(reqs[0]?.body).toEqual(
      envelope('messages.upsert', {
        key: { remoteJid: JID, fromMe: false, id: 'CUST1' },
        pushName: 'Ana',
        status: 'DELIVERY_ACK',
        message: { conversation: 'Oi' },
        messageType: 'conversation',
        messageTimestamp: at / 1000,
        instanceId: f.instanceId,
        source: 'android',
      }),
    );
    expect(reqs[1]?.body).toMatchObject({
      event: 'messages.update',
      data: {
        messageId: expect.any(String),
        keyId: sent.key.id,
        remoteJid: JID,
        fromMe: true,
        participant: JID,
        status: 'DELIVERY_ACK',
        instanceId: f.instanceId,
      },
    });
    expect(reqs[2]?.body).toEqual(envelope('messages.delete', { remoteJid: JID, fromMe: false, id: 'CUST1' }));
    expect(reqs[3]?.body).toEqual(
      envelope('messages.delete', {
        key: { remoteJid: JID, fromMe: false, id: 'CUST1' },
        status: 'DELETED',
        instanceId: f.instanceId,
      }),
    );
    expect(reqs[4]?.body).toEqual(
      envelope('messages.edited', {
        key: { remoteJid: JID, fromMe: false, id: 'CUST1' },
        type: 'MESSAGE_EDIT',
        editedMessage: { conversation: 'Oi!' },
        timestampMs: at,
      }),
    );
  });

  it('can omit or change the apikey header and append the event to the URL (webhook by events)', async () => {
    recorder = await startWebhookRecorder();
    const f = await start();
    const payload = f.webhooks.upsert({ from: CUSTOMER, text: 'x' });
    await f.sendWebhook(recorder.url, payload, { apikeyHeader: null });
    await f.sendWebhook(recorder.url, payload, { apikeyHeader: 'forged' });
    await f.sendWebhook(`${recorder.url}/hooks/evolution`, payload, { byEvents: true });
    const reqs = await recorder.waitFor(3);
    expect(reqs[0]?.headers.apikey).toBeUndefined();
    expect(reqs[1]?.headers.apikey).toBe('forged');
    expect(reqs[2]?.path).toBe('/hooks/evolution/messages-upsert');
  });
});
