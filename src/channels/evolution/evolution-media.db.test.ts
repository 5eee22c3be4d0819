import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvolutionApiFake, startEvolutionApiFake } from '../../test-support/fakes/evolution-api-fake.ts';
import { samplePdf, samplePng } from '../../test-support/media-samples.ts';
import { call, createTestWorkspace, settle, startTestApp, type TestApp, type TestWorkspace } from '../../test-support/test-app.ts';

/** Sending an image or a document through an Evolution gateway: `sendMedia` with the bytes in base64. */
let t: TestApp;
let fake: EvolutionApiFake;
let ws: TestWorkspace;
let channelId: string;
let contactId: string;

beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 2_000 });
  fake = await startEvolutionApiFake({ apiKey: `evo-media-${process.pid}`, instance: `errata-media-${process.pid}` });
  ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'evolution', name: 'Gateway', config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  contactId = (await call(t, 'POST', '/api/v1/contacts', { token: ws.tokens.admin, body: { name: 'Ana Souza', phone: '+55 11 99999 0001', language: 'en' } })).body.id;
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

async function sendFile(bytes: Buffer, type: string, body: Record<string, unknown>) {
  const res = await fetch(`${t.baseUrl}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${ws.tokens.agent}`, 'content-type': type }, body: bytes });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const sent = await call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId, ...body, media: { id, ...(body.media as object) } } });
  expect(sent.status).toBe(202);
  await settle(t);
  return sent.body.id as string;
}

describe('Evolution API: media', () => {
  it('sends an image with its caption and a document with its file name; the gateway gets the same bytes', async () => {
    const png = samplePng({ rgb: [9, 99, 199] });
    const imageId = await sendFile(png, 'image/png', { text: 'Photo of the parcel' });
    const image = fake.sent.at(-1)!;
    expect(image.media).toMatchObject({ mediatype: 'image', mimetype: 'image/png' });
    expect(image.media!.bytes.equals(png)).toBe(true);
    expect(image.text).toBe('Photo of the parcel');
    expect(fake.received.at(-1)!.path).toBe(`/message/sendMedia/${fake.instance}`);
    const m = await call(t, 'GET', `/api/v1/messages/${imageId}`, { token: ws.tokens.agent });
    expect(m.body).toMatchObject({ status: 'sent', delivery: { providerMessageId: image.id } });

    await sendFile(samplePdf(), 'application/pdf', { media: { filename: 'invoice.pdf' } });
    const doc = fake.sent.at(-1)!;
    expect(doc.media).toMatchObject({ mediatype: 'document', mimetype: 'application/pdf', fileName: 'invoice.pdf' });
    expect(doc.media!.bytes.equals(samplePdf())).toBe(true);
  });
});
