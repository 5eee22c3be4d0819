import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CloudApiFake, type CloudApiFakeOptions, startCloudApiFake } from './cloud-api-fake.ts';
import type { CloudWebhookPayload } from './cloud-api-webhooks.ts';
import { type WebhookRecorder, startWebhookRecorder } from './fake-http.ts';

const CUSTOMER = '447700900123';
let fake: CloudApiFake | undefined;
let recorder: WebhookRecorder | undefined;

afterEach(async () => {
  await fake?.close();
  await recorder?.close();
  fake = undefined;
  recorder = undefined;
});

async function start(opts: CloudApiFakeOptions = {}): Promise<CloudApiFake> {
  fake = await startCloudApiFake(opts);
  return fake;
}

/** A controllable clock starting at a fixed instant. */
function manualClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function post(
  f: CloudApiFake,
  body: unknown,
  init: { token?: string | null; path?: string; contentType?: string; signal?: AbortSignal } = {},
) {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  const token = init.token === undefined ? f.accessToken : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(init.path ? `${f.url}${init.path}` : f.messagesUrl, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the helper reads arbitrary JSON answers
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}

const text = (body: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: `+${CUSTOMER}`,
  type: 'text',
  text: { preview_url: false, body },
  ...extra,
});

const template = (name = 'order_update', code = 'en_GB') => ({
  messaging_product: 'whatsapp',
  to: CUSTOMER,
  type: 'template',
  template: { name, language: { code }, components: [] },
});

const graphErrorShape = (code: number) => ({
  error: expect.objectContaining({
    message: expect.any(String),
    type: expect.any(String),
    code,
    fbtrace_id: expect.stringMatching(/^FakeTrace\d+$/),
  }),
});

describe('Cloud API fake: send endpoint', () => {
  it('accepts a text message inside the window and answers the real success shape with a deterministic wamid', async () => {
    const f = await start();
    f.openServiceWindow(CUSTOMER);
    const res = await post(f, text('Your order has shipped.', { biz_opaque_callback_data: 'idem-1' }));

    expect(res.status).toBe(200);
    const wamid = `wamid.${Buffer.from(`errata-fake:${f.phoneNumberId}:000000001`).toString('base64')}`;
    expect(res.json).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }],
      messages: [{ id: wamid }],
    });
    expect(f.messagesUrl).toBe(`${f.url}/v23.0/${f.phoneNumberId}/messages`);

    const [req] = f.received;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/v23.0/${f.phoneNumberId}/messages`,
      headers: expect.objectContaining({ authorization: `Bearer ${f.accessToken}`, 'content-type': 'application/json' }),
      body: text('Your order has shipped.', { biz_opaque_callback_data: 'idem-1' }),
      outcome: { kind: 'answered', status: 200, body: res.json },
    });
    expect(f.accepted).toEqual([
      expect.objectContaining({
        wamid,
        waId: CUSTOMER,
        type: 'text',
        text: 'Your order has shipped.',
        bizOpaqueCallbackData: 'idem-1',
        asyncFailure: undefined,
      }),
    ]);
  });

  it('accepts any vNN.N version segment and keeps the type default of text', async () => {
    const f = await start();
    f.openServiceWindow(CUSTOMER);
    const res = await post(
      f,
      { messaging_product: 'whatsapp', to: CUSTOMER, text: { body: 'hi' } },
      { path: `/v21.0/${f.phoneNumberId}/messages` },
    );
    expect(res.status).toBe(200);
    const bad = await post(f, text('hi'), { path: `/latest/${f.phoneNumberId}/messages` });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual(graphErrorShape(2500));
  });

  it('accepts templates (with message_status) and refuses unknown ones with 132001 when templates are declared', async () => {
    const f = await start({ templates: [{ name: 'order_update', language: 'en_GB' }] });
    const ok = await post(f, template());
    expect(ok.status).toBe(200);
    expect(ok.json.messages).toEqual([{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }]);
    const unknown = await post(f, template('order_update', 'fr'));
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual(graphErrorShape(132001));
  });

  it.each([
    ['no messaging_product', { to: CUSTOMER, type: 'text', text: { body: 'x' } }],
    ['wrong messaging_product', { ...text('x'), messaging_product: 'sms' }],
    ['no to', { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }],
    ['letters in to', { ...text('x'), to: 'not-a-number' }],
    ['no text.body', { ...text('x'), text: {} }],
    ['empty text.body', text('')],
    ['text.body over 4096 characters', text('a'.repeat(4097))],
    ['template without name', { ...template(), template: { language: { code: 'en' } } }],
    ['template without language', { ...template(), template: { name: 'x' } }],
    ['unmodelled type', { ...text('x'), type: 'video', video: { link: 'https://x' } }],
    ['image without id or link', { ...text('x'), type: 'image', image: { caption: 'x' } }],
    ['callback data over 512', text('x', { biz_opaque_callback_data: 'k'.repeat(513) })],
  ])('rejects %s with 400 / code 100 in the Graph error shape', async (_name, body) => {
    const f = await start({ serviceWindow: 'off' });
    const res = await post(f, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(graphErrorShape(100));
    expect(res.json.error.error_data).toEqual({ messaging_product: 'whatsapp', details: expect.any(String) });
    expect(f.accepted).toHaveLength(0);
  });

  it('counts 4096 characters as the limit in code points (emoji count once)', async () => {
    const f = await start({ serviceWindow: 'off' });
    expect((await post(f, text('a'.repeat(4096)))).status).toBe(200);
    expect((await post(f, text('😀'.repeat(4096)))).status).toBe(200);
    expect((await post(f, text('😀'.repeat(4097)))).status).toBe(400);
  });

  it('answers 401 / code 190 for a missing or wrong token and 190 / 463 for an expired one', async () => {
    const f = await start({ serviceWindow: 'off' });
    for (const token of [null, 'wrong']) {
      const res = await post(f, text('x'), { token });
      expect(res.status).toBe(401);
      expect(res.json).toEqual(graphErrorShape(190));
    }
    f.setBehaviour({ tokenExpired: true });
    const expired = await post(f, text('x'));
    expect(expired.status).toBe(401);
    expect(expired.json.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
    f.setBehaviour({ accessToken: 'rotated' });
    expect((await post(f, text('x'), { token: 'rotated' })).status).toBe(200);
  });

  it('refuses an unknown phone number id (100 / 33), a non-JSON body and unknown paths', async () => {
    const f = await start({ serviceWindow: 'off' });
    const unknown = await post(f, text('x'), { path: '/v23.0/999/messages' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    const form = await post(f, 'to=1', { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.json).toEqual(graphErrorShape(100));
    const other = await post(f, text('x'), { path: `/v23.0/${f.phoneNumberId}/photos` });
    expect(other.status).toBe(400);
    expect(other.json).toEqual(graphErrorShape(2500));
  });

  it('marks an inbound message as read', async () => {
    const f = await start();
    const res = await post(f, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.in1' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true });
    expect(f.readMarks).toEqual([expect.objectContaining({ messageId: 'wamid.in1', phoneNumberId: f.phoneNumberId })]);
  });
});

describe('Cloud API fake: throughput', () => {
  it('allows 80 messages per second per number by default, then answers 130429 with Retry-After', async () => {
    const clock = manualClock();
    const f = await start({ now: clock.now, serviceWindow: 'off' });
    const first = await Promise.all(Array.from({ length: 80 }, (_, i) => post(f, text(`m${i}`))));
    expect(first.every((r) => r.status === 200)).toBe(true);

    const limited = await post(f, text('one too many'));
    expect(limited.status).toBe(400);
    expect(limited.json).toEqual(graphErrorShape(130429));
    expect(limited.headers.get('retry-after')).toBe('1');

    clock.advance(999);
    expect((await post(f, text('still inside the second'))).status).toBe(400);
    clock.advance(1);
    expect((await post(f, text('next second'))).status).toBe(200);
    expect(f.accepted).toHaveLength(81);
  });

  it('is configurable per number up to 1 000/s and independent between numbers', async () => {
    const clock = manualClock();
    const f = await start({
      now: clock.now,
      serviceWindow: 'off',
      throughputPerSecond: 2,
      retryAfterSeconds: null,
      extraPhoneNumbers: [{ phoneNumberId: '100000000000002', displayPhoneNumber: '15550000009', throughputPerSecond: 1 }],
    });
    expect((await post(f, text('a'))).status).toBe(200);
    expect((await post(f, text('b'))).status).toBe(200);
    const limited = await post(f, text('c'));
    expect(limited.json.error.code).toBe(130429);
    expect(limited.headers.get('retry-after')).toBeNull();

    const other = '/v23.0/100000000000002/messages';
    expect((await post(f, text('a'), { path: other })).status).toBe(200);
    expect((await post(f, text('b'), { path: other })).json.error.code).toBe(130429);

    f.setThroughput(1_000);
    clock.advance(1_000);
    const burst = await Promise.all(Array.from({ length: 1_001 }, (_, i) => post(f, text(`x${i}`))));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(1_000);
    expect(() => f.setThroughput(1_001)).toThrow(/1\.\.1000/);
  });

  it('enforces the pair rate limit (131056) when configured', async () => {
    const clock = manualClock();
    const f = await start({ now: clock.now, serviceWindow: 'off', pairMinIntervalMs: 6_000 });
    expect((await post(f, text('a'))).status).toBe(200);
    const second = await post(f, text('b'));
    expect(second.status).toBe(400);
    expect(second.json.error.code).toBe(131056);
    clock.advance(6_000);
    expect((await post(f, text('c'))).status).toBe(200);
  });
});

describe('Cloud API fake: 24-hour customer-service window', () => {
  it('by default accepts free text outside the window, then sends a signed failed status with 131047', async () => {
    recorder = await startWebhookRecorder();
    const clock = manualClock();
    const f = await start({ now: clock.now, webhookUrl: recorder.url });
    const res = await post(f, text('hello again', { biz_opaque_callback_data: 'idem-7' }));
    expect(res.status).toBe(200);
    const wamid = res.json.messages[0].id as string;
    await f.settled();

    const [delivery] = await recorder.waitFor(1);
    expect(delivery?.headers['x-hub-signature-256']).toBe(f.sign(delivery?.rawBody ?? ''));
    const payload = delivery?.body as CloudWebhookPayload;
    expect(payload.entry[0]?.changes[0]?.value.statuses).toEqual([
      {
        id: wamid,
        status: 'failed',
        timestamp: String(clock.now() / 1000),
        recipient_id: CUSTOMER,
        biz_opaque_callback_data: 'idem-7',
        errors: [expect.objectContaining({ code: 131047, title: 'Re-engagement message' })],
      },
    ]);
  });

  it('opens the window when the customer writes (through sendWebhook) and closes it after 24 h; templates always pass', async () => {
    recorder = await startWebhookRecorder();
    const clock = manualClock();
    const f = await start({ now: clock.now, serviceWindow: 'reject' });
    const closed = await post(f, text('hi'));
    expect(closed.status).toBe(400);
    expect(closed.json.error.code).toBe(131047);
    expect((await post(f, template())).status).toBe(200);

    await f.sendWebhook(recorder.url, f.webhooks.inboundText({ from: CUSTOMER, body: 'Hello?', at: clock.now() }));
    expect((await post(f, text('hi'))).status).toBe(200);
    clock.advance(24 * 3_600_000);
    expect((await post(f, text('a day later'))).json.error.code).toBe(131047);
  });

  it('fails sends to unreachable customers later with 131026 (kept in the outbox without a webhook url)', async () => {
    const f = await start({ serviceWindow: 'off', unreachable: [CUSTOMER] });
    expect((await post(f, text('x'))).status).toBe(200);
    expect(f.outbox[0]?.entry[0]?.changes[0]?.value.statuses?.[0]?.errors?.[0]?.code).toBe(131026);
  });
});

describe('Cloud API fake: failure injection', () => {
  it('answers 500 / 503 in the Graph shape and 502 as a non-JSON proxy page', async () => {
    const f = await start({ serviceWindow: 'off' });
    f.failNext({ kind: 'serverError' }, 2);
    f.failNext({ kind: 'serverError', status: 503 });
    f.failNext({ kind: 'serverError', status: 502 });
    for (let i = 0; i < 2; i++) {
      const r = await post(f, text('x'));
      expect(r.status).toBe(500);
      expect(r.json.error).toMatchObject({ code: 131000, is_transient: true });
    }
    const unavailable = await post(f, text('x'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.json.error.code).toBe(2);
    const proxy = await post(f, text('x'));
    expect(proxy.status).toBe(502);
    expect(proxy.json).toBeUndefined();
    expect((await post(f, text('x'))).status).toBe(200);
    expect(f.accepted).toHaveLength(1);
  });

  it('injects 130429 with a chosen Retry-After, 131047, 190 and a custom answer', async () => {
    const f = await start({ serviceWindow: 'off' });
    f.setBehaviour({
      failures: [
        { kind: 'rateLimit', retryAfterSeconds: 3 },
        { kind: 'outsideWindow' },
        { kind: 'expiredToken' },
        { kind: 'custom', status: 429, body: { error: { code: 4 } } },
      ],
    });
    const rl = await post(f, text('x'));
    expect([rl.status, rl.json.error.code, rl.headers.get('retry-after')]).toEqual([400, 130429, '3']);
    const win = await post(f, text('x'));
    expect([win.status, win.json.error.code]).toEqual([400, 131047]);
    const tok = await post(f, text('x'));
    expect([tok.status, tok.json.error.code, tok.json.error.error_subcode]).toEqual([401, 190, 463]);
    const custom = await post(f, text('x'));
    expect([custom.status, custom.json]).toEqual([429, { error: { code: 4 } }]);
  });

  it('hangs (client times out, nothing sent) and delays', async () => {
    const f = await start({ serviceWindow: 'off' });
    f.failNext({ kind: 'hang' });
    await expect(post(f, text('x'), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(f.accepted).toHaveLength(0);
    expect(f.received[0]?.outcome).toEqual({ kind: 'hung' });

    f.failNext({ kind: 'delay', ms: 60 });
    const started = Date.now();
    expect((await post(f, text('x'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('accepts then drops the connection: the retry with the same key shows up as a keyed duplicate', async () => {
    const f = await start({ serviceWindow: 'off' });
    f.failNext({ kind: 'acceptThenDrop' });
    await expect(post(f, text('once', { biz_opaque_callback_data: 'job-42' }))).rejects.toThrow();
    expect(f.accepted).toHaveLength(1);
    expect(f.received[0]?.outcome).toEqual({ kind: 'dropped' });

    const retry = await post(f, text('once', { biz_opaque_callback_data: 'job-42' }));
    expect(retry.status).toBe(200);
    await post(f, text('unkeyed'));
    await post(f, text('unkeyed'));
    const report = f.duplicateReport();
    expect(report.accepted).toBe(4);
    expect(report.duplicateKeys).toEqual([{ key: 'job-42', wamids: [f.accepted[0]?.wamid, f.accepted[1]?.wamid] }]);
    expect(report.withoutKey).toBe(2);
    expect(report.unkeyedRepeats).toEqual([expect.objectContaining({ waId: CUSTOMER, content: 'text:unkeyed' })]);
  });

  it('accepts then hangs until released', async () => {
    const f = await start({ serviceWindow: 'off' });
    f.failNext({ kind: 'acceptThenHang' });
    const pending = post(f, text('x'));
    await new Promise((r) => setTimeout(r, 30));
    expect(f.accepted).toHaveLength(1);
    f.releaseHung();
    expect((await pending).status).toBe(500);
  });
});

describe('Cloud API fake: webhooks', () => {
  it('signs with sha256=HMAC-SHA256(app secret, raw body) that an independent check verifies', async () => {
    recorder = await startWebhookRecorder();
    const f = await start({ appSecret: 'shh-its-a-secret' });
    const payload = f.webhooks.inboundText({ from: CUSTOMER, body: 'Où est ma commande ? 📦', profileName: 'Zoë' });
    const delivery = await f.sendWebhook(recorder.url, payload);
    expect(delivery.status).toBe(200);

    const [req] = await recorder.waitFor(1);
    const header = req?.headers['x-hub-signature-256'] ?? '';
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', 'shh-its-a-secret').update(req?.rawBody ?? '', 'utf8').digest('hex')}`,
    );
    expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.body).toEqual(payload);
  });

  it('can send a wrong, missing or foreign signature and a re-serialised body', async () => {
    recorder = await startWebhookRecorder();
    const f = await start();
    const payload = f.webhooks.inboundText({ from: CUSTOMER, body: 'x' });
    await f.sendWebhook(recorder.url, payload, { signature: 'sha256=00' });
    await f.sendWebhook(recorder.url, payload, { signature: null });
    await f.sendWebhook(recorder.url, payload, { appSecret: 'someone-else' });
    const raw = JSON.stringify(payload, null, 2);
    await f.sendWebhook(recorder.url, payload, { rawBody: raw });
    const reqs = await recorder.waitFor(4);
    expect(reqs[0]?.headers['x-hub-signature-256']).toBe('sha256=00');
    expect(reqs[1]?.headers['x-hub-signature-256']).toBeUndefined();
    expect(reqs[2]?.headers['x-hub-signature-256']).not.toBe(f.sign(reqs[2]?.rawBody ?? ''));
    expect(reqs[3]?.rawBody).toBe(raw);
    expect(reqs[3]?.headers['x-hub-signature-256']).toBe(f.sign(raw));
  });

  it('builds every webhook kind in the documented shape', async () => {
    const f = await start({ wabaId: 'WABA1', phoneNumberId: 'PN1', displayPhoneNumber: '15550001111' });
    const at = Date.UTC(2026, 0, 1, 12, 0, 0);
    const envelope = (value: Record<string, unknown>) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' },
                ...value,
              },
            },
          ],
        },
      ],
    });
    const contacts = [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }];
    const base = { from: CUSTOMER, id: 'wamid.IN', timestamp: String(at / 1000) };

    expect(f.webhooks.inboundText({ from: CUSTOMER, body: 'hi', id: 'wamid.IN', at, profileName: 'Ana', replyTo: 'wamid.OUT' })).toEqual(
      envelope({
        contacts,
        messages: [{ ...base, type: 'text', text: { body: 'hi' }, context: { from: '15550001111', id: 'wamid.OUT' } }],
      }),
    );
    expect(f.webhooks.revoke({ from: CUSTOMER, id: 'wamid.IN', at, profileName: 'Ana', originalMessageId: 'wamid.OLD' })).toEqual(
      envelope({ contacts, messages: [{ ...base, type: 'revoke', revoke: { original_message_id: 'wamid.OLD' } }] }),
    );
    expect(
      f.webhooks.edit({ from: CUSTOMER, id: 'wamid.IN', at, profileName: 'Ana', originalMessageId: 'wamid.OLD', body: 'fixed' }),
    ).toEqual(
      envelope({
        contacts,
        messages: [
          {
            ...base,
            type: 'edit',
            edit: { original_message_id: 'wamid.OLD', message: { type: 'text', text: { body: 'fixed' } } },
          },
        ],
      }),
    );
    const unsupported = f.webhooks.unsupported({ from: CUSTOMER, id: 'wamid.IN', at, profileName: 'Ana' });
    expect(unsupported.entry[0]?.changes[0]?.value.messages?.[0]).toMatchObject({
      ...base,
      type: 'unsupported',
      errors: [{ code: 131051, title: 'Message type unknown' }],
    });

    for (const status of ['sent', 'delivered', 'read'] as const) {
      const s = f.webhooks.status({ id: 'wamid.OUT', status, recipientId: CUSTOMER, at, bizOpaqueCallbackData: 'k' });
      expect(s).toEqual(
        envelope({
          statuses: [
            {
              id: 'wamid.OUT',
              status,
              timestamp: String(at / 1000),
              recipient_id: CUSTOMER,
              biz_opaque_callback_data: 'k',
              conversation: expect.objectContaining({ id: expect.any(String), origin: { type: 'service' } }),
              pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
            },
          ],
        }),
      );
    }
    const failed = f.webhooks.status({ id: 'wamid.OUT', status: 'failed', recipientId: CUSTOMER, at });
    expect(failed.entry[0]?.changes[0]?.value.statuses).toEqual([
      {
        id: 'wamid.OUT',
        status: 'failed',
        timestamp: String(at / 1000),
        recipient_id: CUSTOMER,
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            error_data: { details: expect.any(String) },
          },
        ],
      },
    ]);
  });

  it('fills statuses for accepted messages and delivers duplicates byte-identical', async () => {
    recorder = await startWebhookRecorder();
    const f = await start({ serviceWindow: 'off', webhookUrl: recorder.url });
    const sent = await post(f, text('x', { biz_opaque_callback_data: 'idem-9' }));
    const wamid = sent.json.messages[0].id as string;
    await f.deliverStatus(wamid, 'delivered');
    await f.deliverStatus(wamid, 'delivered');
    const [a, b] = await recorder.waitFor(2);
    expect(a?.rawBody).toBe(b?.rawBody);
    expect(a?.headers['x-hub-signature-256']).toBe(b?.headers['x-hub-signature-256']);
    expect((a!.body as CloudWebhookPayload).entry[0]?.changes[0]?.value.statuses?.[0]).toMatchObject({
      id: wamid,
      status: 'delivered',
      recipient_id: CUSTOMER,
      biz_opaque_callback_data: 'idem-9',
    });
  });

  it('drives the GET verification handshake against a receiver', async () => {
    const f = await start({ verifyToken: 'tok-123' });
    // A minimal correct receiver, as Errata's /webhooks/whatsapp must behave.
    const server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      if (q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === 'tok-123') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(q.get('hub.challenge') ?? '');
      } else {
        res.writeHead(403).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
    try {
      const ok = await f.verifySubscription(target, { challenge: '1158201444' });
      expect(ok).toEqual({ status: 200, body: '1158201444', challenge: '1158201444' });
      expect((await f.verifySubscription(target, { verifyToken: 'nope' })).status).toBe(403);
      expect((await f.verifySubscription(target, { mode: 'unsubscribe' })).status).toBe(403);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
