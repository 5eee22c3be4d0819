import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf, samplePng } from '../../test-support/media-samples.ts';
import { call, type SimulatorSetup, settle, setupSimulator, startTestApp, type TestApp } from '../../test-support/test-app.ts';

/** Media on the simulator: the team sends an image, the customer's phone shows it; the customer sends a document. */
let t: TestApp;
let s: SimulatorSetup;
beforeAll(async () => {
  t = await startTestApp();
  s = await setupSimulator(t);
});
afterAll(async () => t?.close());

async function upload(bytes: Buffer, type: string) {
  const res = await fetch(`${t.baseUrl}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${s.ws.tokens.agent}`, 'content-type': type }, body: bytes });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('simulator media', () => {
  it('an image the team sends reaches the customer’s phone, which shows it; a document the customer sends arrives in the thread', async () => {
    const id = await upload(samplePng(), 'image/png');
    const sent = await call(t, 'POST', '/api/v1/messages', { token: s.ws.tokens.agent, body: { contactId: s.contactId, channelId: s.channelId, text: 'La photo', media: { id }, holdSeconds: 0 } });
    expect(sent.status).toBe(202);
    await settle(t);
    const screen = await call(t, 'GET', `/api/v1/simulator/contacts/${s.contactId}/screen`, { token: s.ws.tokens.agent });
    const line = screen.body.devices[0].lines.find((l: { messageId: string }) => l.messageId === sent.body.id);
    expect(line).toMatchObject({ text: 'La photo', media: { kind: 'image', url: `/api/v1/messages/${sent.body.id}/media`, size: samplePng().length } });

    const doc = await upload(samplePdf(), 'application/pdf');
    const reply = await call(t, 'POST', `/api/v1/simulator/contacts/${s.contactId}/reply`, { token: s.ws.tokens.agent, body: { media: { id: doc, filename: 'devis.pdf' } } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ direction: 'in', contentType: 'document', content: { filename: 'devis.pdf', mimeType: 'application/pdf' } });
    const res = await fetch(`${t.baseUrl}${reply.body.mediaUrl}`, { headers: { authorization: `Bearer ${s.ws.tokens.agent}` } });
    expect(Buffer.from(await res.arrayBuffer()).equals(samplePdf())).toBe(true);
  });
});
