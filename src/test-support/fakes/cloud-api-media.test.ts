import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { samplePng } from '../media-samples.ts';
import { type CloudApiFake, startCloudApiFake } from './cloud-api-fake.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field in assertions
type Json = any;

/** The fake's media endpoints against Meta's documented contract (docs/whatsapp-contracts.md §1.6). */
let f: CloudApiFake;
afterEach(async () => f?.close());

const auth = (fake: CloudApiFake) => ({ authorization: `Bearer ${fake.accessToken}` });

async function uploadPng(fake: CloudApiFake, bytes: Buffer, fields: Record<string, string> = { messaging_product: 'whatsapp', type: 'image/png' }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
  const res = await fetch(`${fake.url}/${fake.apiVersion}/${fake.phoneNumberId}/media`, { method: 'POST', headers: auth(fake), body: form });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('Cloud API fake: media', () => {
  it('takes a multipart upload, gives a short-lived URL with the hex SHA-256, and serves the bytes only with the token', async () => {
    f = await startCloudApiFake();
    const png = samplePng();
    const up = await uploadPng(f, png);
    expect(up.status).toBe(200);
    expect(up.json.id).toMatch(/^\d+$/);
    const info = await fetch(`${f.url}/${f.apiVersion}/${up.json.id}?phone_number_id=${f.phoneNumberId}`, { headers: auth(f) });
    const body = (await info.json()) as Json;
    expect(body).toMatchObject({ messaging_product: 'whatsapp', mime_type: 'image/png', sha256: createHash('sha256').update(png).digest('hex'), file_size: String(png.length), id: up.json.id });
    expect((await fetch(body.url)).status).toBe(401);
    const download = await fetch(body.url, { headers: auth(f) });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
  });

  it('refuses an upload without messaging_product, of an unsupported type, or over the image limit', async () => {
    f = await startCloudApiFake();
    expect((await uploadPng(f, samplePng(), { type: 'image/png' })).json.error.code).toBe(100);
    expect((await uploadPng(f, samplePng(), { messaging_product: 'whatsapp', type: 'image/svg+xml' })).json.error.code).toBe(100);
    const big = await uploadPng(f, samplePng({ padTo: 5 * 1024 * 1024 + 1 }));
    expect(big.status).toBe(400);
    expect(big.json.error.code).toBe(131053);
    expect(f.uploads()).toHaveLength(0);
  });

  it('sends an image by an uploaded id, and refuses an id it never received', async () => {
    f = await startCloudApiFake({ serviceWindow: 'off' });
    const up = await uploadPng(f, samplePng());
    const send = (image: Record<string, unknown>) =>
      fetch(f.messagesUrl, {
        method: 'POST',
        headers: { ...auth(f), 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '33600000001', type: 'image', image }),
      });
    expect((await send({ id: up.json.id, caption: 'Voici' })).status).toBe(200);
    expect(f.accepted[0]).toMatchObject({ type: 'image', media: { id: up.json.id, caption: 'Voici' } });
    const unknown = await send({ id: '123' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Json).error.code).toBe(131053);
  });

  it('a customer’s media: the webhook names it by id with a base64 SHA-256; unknown ids answer 100 / 33', async () => {
    f = await startCloudApiFake();
    const png = samplePng({ rgb: [1, 1, 1] });
    const payload = f.webhooks.mediaWithBytes({ from: '33600000002', kind: 'image', mimeType: 'image/png', bytes: png });
    const image = (payload.entry[0]!.changes[0]!.value as Json).messages[0].image;
    expect(image.sha256).toBe(createHash('sha256').update(png).digest('base64'));
    expect(f.media.get(image.id)!.bytes.equals(png)).toBe(true);
    const missing = await fetch(`${f.url}/${f.apiVersion}/424242`, { headers: auth(f) });
    expect(((await missing.json()) as Json).error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
