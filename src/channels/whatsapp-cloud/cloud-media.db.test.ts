import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudApiFake, startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../../test-support/fakes/cloud-api-webhooks.ts';
import { sampleExe, sampleHtml, sampleJpeg, samplePdf, samplePng, sampleSvg } from '../../test-support/media-samples.ts';
import { call, cloudChannelBody, createTestWorkspace, settle, startTestApp, type TestApp, type TestWorkspace, uniquePhoneNumberId } from '../../test-support/test-app.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field in assertions
type Json = any;

/**
 * Media end to end on the Cloud API: the content policy of uploads, sending an image or a
 * document (upload to Meta, then send by id), and a customer's media downloaded off the webhook
 * path, checked against its SHA-256, retried, and honest when it cannot be fetched.
 */
let t: TestApp;
let ws: TestWorkspace;
let fake: CloudApiFake;
let channelId: string;
let contactId: string;
const from = '33612345678';

beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 2_000 });
  const phoneNumberId = uniquePhoneNumberId();
  fake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `tok-${phoneNumberId}`, serviceWindow: 'off' });
  ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  const delivery = await fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from, body: 'Bonjour', profileName: 'Claire', id: customerWamid() }));
  expect(delivery.status).toBe(200);
  await settle(t);
  const contact = await t.app.ctx.db.selectFrom('contacts').select('id').where('workspace_id', '=', ws.workspaceId).where('phone', '=', `+${from}`).executeTakeFirstOrThrow();
  contactId = contact.id;
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

async function upload(bytes: Buffer, type: string, token = ws.tokens.agent, lang = 'en') {
  const res = await fetch(`${t.baseUrl}/api/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type, 'accept-language': lang },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const mediaRows = async () => Number((await t.app.ctx.db.selectFrom('media_objects').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ws.workspaceId).executeTakeFirstOrThrow()).n);

describe('upload policy', () => {
  it('accepts a PNG, a JPEG and a PDF, answering a reference (the SHA-256) and the kind', async () => {
    const png = samplePng();
    const r = await upload(png, 'image/png');
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: createHash('sha256').update(png).digest('hex'), mimeType: 'image/png', kind: 'image', size: png.length });
    expect((await upload(sampleJpeg(), 'image/jpeg')).body.kind).toBe('image');
    expect((await upload(samplePdf(), 'application/pdf; name="x.pdf"')).body).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    expect((await upload(Buffer.from('Facture n° 12 — merci !\n'), 'text/plain; charset=utf-8')).body).toMatchObject({ kind: 'document', mimeType: 'text/plain' });
  });

  it('refuses, in the reader’s language, and stores nothing: mismatched bytes, programs, HTML, SVG, unknown types, empty and oversized files', async () => {
    const before = await mediaRows();
    const cases: Array<[Buffer, string, number, string]> = [
      [samplePdf(), 'image/png', 422, 'mismatch'],
      [sampleExe(), 'application/pdf', 422, 'executable'],
      [sampleHtml(), 'text/plain', 422, 'markup_or_script'],
      [sampleHtml(), 'text/html', 415, 'type_not_allowed'],
      [sampleSvg(), 'image/svg+xml', 415, 'type_not_allowed'],
      [Buffer.from([0, 1, 2, 3, 0, 0, 7]), 'text/plain', 422, 'not_text'],
      [samplePng({ padTo: 5 * 1024 * 1024 + 1 }), 'image/png', 413, 'too_large'],
      [Buffer.alloc(0), 'image/png', 400, 'empty'],
    ];
    for (const [bytes, type, status, reason] of cases) {
      const r = await upload(bytes, type, ws.tokens.agent, 'fr');
      expect(r.status, `${type} ${reason}`).toBe(status);
      if (status !== 413 || r.body.error.details) expect(r.body.error.details?.reason, `${type}`).toBe(reason);
      expect(r.body.error.message).toMatch(/[éà]|fichier|Ce /);
    }
    expect(await mediaRows()).toBe(before);
  });

  it('needs a signed-in writer (auditors cannot upload)', async () => {
    const anonymous = await fetch(`${t.baseUrl}/api/v1/media`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: samplePng() });
    expect(anonymous.status).toBe(401);
    expect((await upload(samplePng({ rgb: [1, 2, 3] }), 'image/png', ws.tokens.auditor)).status).toBe(403);
  });
});

describe('sending media on the Cloud API', () => {
  it('uploads the image to Meta, then sends it by id with its caption (the caption goes through the guard)', async () => {
    const png = samplePng({ rgb: [10, 200, 10] });
    const up = await upload(png, 'image/png');
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId, text: 'Voici la photo du colis', media: { id: up.body.id } } });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ contentType: 'image', text: 'Voici la photo du colis', content: { type: 'image', mimeType: 'image/png' } });
    expect(sent.body.mediaUrl).toBe(`/api/v1/messages/${sent.body.id}/media`);
    await settle(t);
    const uploaded = fake.uploads().at(-1)!;
    expect(uploaded.bytes.equals(png)).toBe(true);
    expect(uploaded.mimeType).toBe('image/png');
    const accepted = fake.accepted.at(-1)!;
    expect(accepted).toMatchObject({ type: 'image', media: { id: uploaded.id, caption: 'Voici la photo du colis' } });
    const row = await call(t, 'GET', `/api/v1/messages/${sent.body.id}`, { token: ws.tokens.agent });
    expect(row.body.status).toBe('sent');
  });

  it('sends a document with its file name; a file name with a path keeps only its name', async () => {
    const up = await upload(samplePdf(), 'application/pdf');
    const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId, media: { id: up.body.id, filename: '../../facture-12.pdf' } } });
    expect(sent.status).toBe(202);
    await settle(t);
    expect(fake.accepted.at(-1)).toMatchObject({ type: 'document', media: { filename: 'facture-12.pdf' } });
    expect(fake.accepted.at(-1)!.media!.caption).toBeUndefined();
    const download = await fetch(`${t.baseUrl}/api/v1/messages/${sent.body.id}/media`, { headers: { authorization: `Bearer ${ws.tokens.agent}` } });
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''facture-12.pdf");
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(samplePdf())).toBe(true);
  });

  it('refuses an unknown reference and a guarded caption like text', async () => {
    const unknown = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId, media: { id: 'a'.repeat(64) } } });
    expect(unknown.status).toBe(400);
    const up = await upload(samplePng({ rgb: [3, 3, 3] }), 'image/png');
    const blocked = await call(t, 'POST', '/api/v1/messages', {
      token: ws.tokens.agent,
      body: { contactId, channelId, text: 'Payez sur FR76 3000 6000 0112 3456 7890 189 aujourd’hui.', media: { id: up.body.id } },
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.code).toBe('guard_blocked');
  });
});

async function customerSends(bytes: Buffer, mimeType: string, extra: { caption?: string } = {}) {
  const id = customerWamid();
  const payload = fake.webhooks.mediaWithBytes({ from, id, kind: 'image', mimeType, bytes, ...extra });
  const delivery = await fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, payload);
  expect(delivery.status).toBe(200);
  return id;
}

async function inboundByWamid(wamid: string) {
  const row = await t.app.ctx.db.selectFrom('messages').selectAll().where('workspace_id', '=', ws.workspaceId).where('provider_message_id', '=', wamid).executeTakeFirstOrThrow();
  return (await call(t, 'GET', `/api/v1/messages/${row.id}`, { token: ws.tokens.agent })).body;
}

describe('a customer’s media on the Cloud API', () => {
  it('is downloaded after the webhook was acknowledged, checked, stored and served', async () => {
    const png = samplePng({ rgb: [0, 0, 250] });
    const downloadsBefore = fake.mediaDownloads.length;
    const wamid = await customerSends(png, 'image/png', { caption: 'Le colis est abîmé' });
    // The 200 left before any download.
    expect(fake.mediaDownloads.length).toBe(downloadsBefore);
    await settle(t);
    const m = await inboundByWamid(wamid);
    expect(m.content.stored).toEqual({ sha256: createHash('sha256').update(png).digest('hex'), size: png.length });
    expect(m.mediaUrl).toBe(`/api/v1/messages/${m.id}/media`);
    const res = await fetch(`${t.baseUrl}${m.mediaUrl}`, { headers: { authorization: `Bearer ${ws.tokens.agent}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(fake.mediaDownloads.at(-1)!.authorized).toBe(true);
  });

  it('a download whose SHA-256 does not match is not kept, and is tried again', async () => {
    const png = samplePng({ rgb: [5, 5, 5] });
    fake.failMediaNext({ step: 'download', kind: 'corrupt' });
    const wamid = await customerSends(png, 'image/png');
    await settle(t);
    let m = await inboundByWamid(wamid);
    expect(m.content.stored).toBeUndefined();
    expect(m.content.fetchFailed).toBeUndefined();
    // The thread says it is on its way, not that it is there.
    expect(m.content.fetching).toBe(true);
    expect(m.mediaUrl).toBeNull();
    t.clock.advance(10);
    await settle(t);
    m = await inboundByWamid(wamid);
    expect(m.content.stored.sha256).toBe(createHash('sha256').update(png).digest('hex'));
    expect(m.content.fetching).toBeUndefined();
  });

  it('server errors are retried on a backoff; media WhatsApp does not have is said so and the message stays', async () => {
    const png = samplePng({ rgb: [7, 7, 7] });
    fake.failMediaNext({ step: 'retrieve', kind: 'serverError' });
    fake.failMediaNext({ step: 'download', kind: 'serverError' });
    const wamid = await customerSends(png, 'image/png');
    for (let i = 0; i < 3; i++) {
      await settle(t);
      t.clock.advance(30);
    }
    await settle(t);
    expect((await inboundByWamid(wamid)).content.stored.size).toBe(png.length);

    const lost = customerWamid();
    const payload = fake.webhooks.media({ from, id: lost, kind: 'document', mediaId: '999999', mimeType: 'application/pdf', filename: 'devis.pdf' });
    expect((await fake.sendWebhook(`${t.baseUrl}/webhooks/whatsapp`, payload)).status).toBe(200);
    await settle(t);
    const m = await inboundByWamid(lost);
    expect(m.contentType).toBe('document');
    expect(m.mediaUrl).toBeNull();
    expect(m.content.fetchFailed).toMatchObject({ code: 'media_unavailable', attempts: 1 });
    expect(m.content.fetching).toBeUndefined();
    const events = await call(t, 'GET', `/api/v1/messages/${m.id}/events`, { token: ws.tokens.agent });
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain('message.media_fetch_failed');
  });
});
