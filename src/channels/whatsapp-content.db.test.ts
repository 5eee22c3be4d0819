import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reprocessWebhooks } from '../commands/reprocess-webhooks.ts';
import { type CloudApiFake, startCloudApiFake } from '../test-support/fakes/cloud-api-fake.ts';
import { customerWamid } from '../test-support/fakes/cloud-api-webhooks.ts';
import { type EvolutionApiFake, startEvolutionApiFake } from '../test-support/fakes/evolution-api-fake.ts';
import { evolutionMessageId } from '../test-support/fakes/evolution-api-webhooks.ts';
import {
  call,
  cloudChannelBody,
  createTestWorkspace,
  settle,
  startTestApp,
  type TestApp,
  type TestWorkspace,
  uniquePhoneNumberId,
} from '../test-support/test-app.ts';

/**
 * Issue 19: everything WhatsApp and Evolution really send. One fixture per defect, written from
 * the public shapes (docs/whatsapp-contracts.md), delivered over real HTTP as the providers
 * deliver them; each test asserts what is stored, what the thread API shows, the unread count
 * and the 24-hour window after the kind arrives. Runs on PGlite and on PostgreSQL.
 */
const MEDIA_LIMIT = 8 * 1024 * 1024;
let t: TestApp;
const closers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  t = await startTestApp({ providerTimeoutMs: 500, webhookMediaLimitBytes: MEDIA_LIMIT });
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await t.close();
});

const db = () => t.app.ctx.db;

interface Cloud {
  ws: TestWorkspace;
  fake: CloudApiFake;
  channelId: string;
  url: string;
}

async function setupCloud(): Promise<Cloud> {
  const phoneNumberId = uniquePhoneNumberId();
  const fake = await startCloudApiFake({
    phoneNumberId,
    appSecret: `secret-${phoneNumberId}`,
    verifyToken: `verify-${phoneNumberId}`,
    accessToken: `token-${phoneNumberId}`,
    serviceWindow: 'reject',
  });
  closers.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
  expect(created.status).toBe(201);
  return { ws, fake, channelId: created.body.id, url: `${t.baseUrl}/webhooks/whatsapp` };
}

async function deliver(s: { fake: { sendWebhook(url: string, payload: never): Promise<{ status: number }> }; url: string }, payload: unknown) {
  const delivery = await s.fake.sendWebhook(s.url, payload as never);
  expect(delivery.status).toBe(200);
  await settle(t);
}

async function conversations(ws: TestWorkspace) {
  const list = await call(t, 'GET', '/api/v1/conversations', { token: ws.tokens.agent });
  return list.body.items as { id: string; unreadCount: number; lastMessageText: string; contact: { id: string; phone: string | null; handle: string } }[];
}

async function thread(ws: TestWorkspace, conversationId: string) {
  const page = await call(t, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token: ws.tokens.agent });
  expect(page.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: assertions read the API's JSON freely
  return (page.body.items as any[]).slice().reverse();
}

const deliveriesOf = (channelId: string) =>
  db().selectFrom('webhook_deliveries').selectAll().where(sql<boolean>`channel_ids @> ${[channelId]}::uuid[]`).orderBy('seq').execute();

async function windowOf(conversationId: string) {
  const row = await db().selectFrom('conversations').select('customer_last_message_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return row.customer_last_message_at;
}

async function contactsOf(workspaceId: string) {
  return db().selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

async function identities(contactId: string) {
  const rows = await db().selectFrom('contact_identities').select(['kind', 'value', 'retired_at']).where('contact_id', '=', contactId).orderBy('kind').execute();
  return rows.map((r) => `${r.kind}:${r.value}${r.retired_at ? ' (retired)' : ''}`);
}

const sendText = (ws: TestWorkspace, contactId: string, channelId: string, text: string) =>
  call(t, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, channelId, text } });

describe('Cloud API (issue 19)', () => {
  it('1. a customer known only by a business-scoped user id is kept, answered at that id, and merged with their number later', async () => {
    const s = await setupCloud();
    const bsuid = 'FR.1502576394655843';
    await deliver(s, s.fake.webhooks.inboundText({ from: '', hideNumber: true, userId: bsuid, body: 'Bonjour, je cache mon numéro', profileName: 'Léa' }));
    const [contact] = await contactsOf(s.ws.workspaceId);
    expect(contact).toMatchObject({ name: 'Léa', phone: null });
    expect(await identities(contact!.id)).toEqual([`bsuid:${bsuid}`]);
    const [conversation] = await conversations(s.ws);
    expect(conversation).toMatchObject({ unreadCount: 1, contact: { phone: null, handle: bsuid } });
    expect(await windowOf(conversation!.id)).not.toBeNull();

    // The reply goes to the id Meta accepts: `recipient`, no `to`.
    s.fake.openServiceWindow(bsuid);
    const reply = await sendText(s.ws, contact!.id, s.channelId, 'Bonjour Léa');
    expect(reply.status).toBe(202);
    await settle(t);
    const request = s.fake.received.find((r) => r.method === 'POST' && r.path.endsWith('/messages'))!;
    expect(request.body).toMatchObject({ recipient: bsuid, type: 'text' });
    expect((request.body as Record<string, unknown>).to).toBeUndefined();
    expect((await call(t, 'GET', `/api/v1/messages/${reply.body.id}`, { token: s.ws.tokens.agent })).body.status).toBe('sent');

    // Someone else writes first by number, then by id alone, then with both: one person, merged.
    await deliver(s, s.fake.webhooks.inboundText({ from: '33622222222', body: 'Par numéro', profileName: 'Marc' }));
    await deliver(s, s.fake.webhooks.inboundText({ from: '', hideNumber: true, userId: 'FR.99', body: 'Par identifiant', profileName: 'Marc' }));
    expect(await contactsOf(s.ws.workspaceId)).toHaveLength(3);
    await deliver(s, s.fake.webhooks.inboundText({ from: '33622222222', userId: 'FR.99', body: 'Les deux', profileName: 'Marc' }));
    const all = await contactsOf(s.ws.workspaceId);
    const marc = all.find((c) => c.phone === '+33622222222')!;
    expect(all.filter((c) => c.merged_into_id === marc.id)).toHaveLength(1);
    expect(await identities(marc.id)).toEqual(['bsuid:FR.99']);
    const marcs = (await conversations(s.ws)).filter((c) => c.contact.id === marc.id);
    expect(marcs).toHaveLength(1);
    expect((await thread(s.ws, marcs[0]!.id)).map((m) => m.text)).toEqual(['Par numéro', 'Par identifiant', 'Les deux']);
    expect(marcs[0]!.unreadCount).toBe(3);
    // Raw bodies are kept, byte for byte, with their signature.
    const deliveries = await deliveriesOf(s.channelId);
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.every((d) => d.body && d.headers['x-hub-signature-256']?.startsWith('sha256='))).toBe(true);
  });

  it('2. interactive replies keep the chosen title, id and payload, and count as the customer writing', async () => {
    const s = await setupCloud();
    await deliver(s, s.fake.webhooks.interactive({ from: '33633333333', reply: { kind: 'button_reply', id: 'confirm-42', title: 'Oui, je confirme' } }));
    await deliver(s, s.fake.webhooks.interactive({ from: '33633333333', reply: { kind: 'list_reply', id: 'slot-9', title: 'Mardi 9 h', description: 'Salle 2' } }));
    await deliver(s, s.fake.webhooks.quickReply({ from: '33633333333', text: 'Annuler', payload: 'CANCEL_APPOINTMENT_42' }));
    const [conversation] = await conversations(s.ws);
    expect(conversation!.unreadCount).toBe(3);
    expect(conversation!.lastMessageText).toBe('↩ Annuler');
    expect(await windowOf(conversation!.id)).not.toBeNull();
    const messages = await thread(s.ws, conversation!.id);
    expect(messages.map((m) => [m.contentType, m.text, m.content])).toEqual([
      ['interactive_reply', 'Oui, je confirme', { type: 'interactive_reply', replyKind: 'button', id: 'confirm-42', title: 'Oui, je confirme' }],
      ['interactive_reply', 'Mardi 9 h', { type: 'interactive_reply', replyKind: 'list', id: 'slot-9', title: 'Mardi 9 h', description: 'Salle 2' }],
      ['interactive_reply', 'Annuler', { type: 'interactive_reply', replyKind: 'quick_reply', title: 'Annuler', payload: 'CANCEL_APPOINTMENT_42' }],
    ]);
  });

  it('3. media, locations, contacts and orders are kept typed and shown', async () => {
    const s = await setupCloud();
    const from = '33644444444';
    await deliver(s, s.fake.webhooks.media({ from, kind: 'image', mediaId: 'MEDIA-1', mimeType: 'image/jpeg', caption: 'La facture' }));
    await deliver(s, s.fake.webhooks.media({ from, kind: 'document', mediaId: 'MEDIA-2', mimeType: 'application/pdf', filename: 'devis.pdf' }));
    await deliver(s, s.fake.webhooks.media({ from, kind: 'audio', mediaId: 'MEDIA-3', mimeType: 'audio/ogg; codecs=opus', voice: true }));
    await deliver(s, s.fake.webhooks.ofType({ from, type: 'location', body: { location: { latitude: 48.8566, longitude: 2.3522, name: 'Boutique', address: '1 rue de Rivoli' } } }));
    await deliver(
      s,
      s.fake.webhooks.ofType({ from, type: 'contacts', body: { contacts: [{ name: { formatted_name: 'Marc Petit' }, phones: [{ phone: '+33 6 12 34 56 78', wa_id: '33612345678', type: 'CELL' }] }] } }),
    );
    await deliver(
      s,
      s.fake.webhooks.ofType({ from, type: 'order', body: { order: { catalog_id: 'CAT1', text: 'Pour samedi', product_items: [{ product_retailer_id: 'SKU-1', quantity: 2, item_price: 12.5, currency: 'EUR' }] } } }),
    );
    const [conversation] = await conversations(s.ws);
    expect(conversation!.unreadCount).toBe(6);
    const messages = await thread(s.ws, conversation!.id);
    expect(messages.map((m) => m.contentType)).toEqual(['image', 'document', 'audio', 'location', 'contacts', 'order']);
    expect(messages[0]).toMatchObject({ text: 'La facture', content: { mediaId: 'MEDIA-1', mimeType: 'image/jpeg', caption: 'La facture' }, mediaUrl: null });
    expect(messages[1]).toMatchObject({ text: 'devis.pdf', content: { filename: 'devis.pdf' } });
    expect(messages[2].content).toMatchObject({ voice: true });
    expect(messages[3].content).toMatchObject({ latitude: 48.8566, longitude: 2.3522, name: 'Boutique' });
    expect(messages[4].content.contacts[0]).toMatchObject({ name: 'Marc Petit', phones: [{ waId: '33612345678' }] });
    expect(messages[5].content).toMatchObject({ catalogId: 'CAT1', items: [{ productId: 'SKU-1', quantity: 2, price: 12.5, currency: 'EUR' }] });
    expect(messages.every((m) => m.providerErrors.length === 0)).toBe(true);
  });

  it('4. reactions, system notices and caption edits are never the customer writing; a number change moves the contact', async () => {
    const s = await setupCloud();
    const from = '33655555555';
    const imageId = customerWamid();
    await deliver(s, s.fake.webhooks.media({ from, id: imageId, kind: 'image', mediaId: 'M', mimeType: 'image/jpeg', caption: 'Facture' }));
    const [conversation] = await conversations(s.ws);
    const [contact] = await contactsOf(s.ws.workspaceId);
    s.fake.openServiceWindow(from);
    const ours = await sendText(s.ws, contact!.id, s.channelId, 'Merci, bien reçu');
    expect(ours.status).toBe(202);
    await settle(t);
    const wamid = (await call(t, 'GET', `/api/v1/messages/${ours.body.id}`, { token: s.ws.tokens.agent })).body.delivery.providerMessageId;
    await call(t, 'POST', `/api/v1/conversations/${conversation!.id}/read`, { token: s.ws.tokens.agent, headers: { 'content-type': 'application/json' } });
    const windowBefore = await windowOf(conversation!.id);

    // A day later: the window has closed. Nothing below may reopen it or add an unread.
    t.clock.advance(25 * 3600);
    await deliver(s, s.fake.webhooks.reaction({ from, messageId: wamid, emoji: '👍' }));
    await deliver(s, s.fake.webhooks.captionEdit({ from, originalMessageId: imageId, kind: 'image', caption: 'Facture corrigée' }));
    await deliver(s, s.fake.webhooks.system({ from, kind: 'customer_identity_changed', body: 'Le code de sécurité a changé' }));
    await deliver(s, s.fake.webhooks.system({ from, kind: 'customer_changed_number', body: 'A changé de numéro', newWaId: '33666666666' }));

    const after = (await conversations(s.ws)).find((c) => c.id === conversation!.id)!;
    expect(after.unreadCount).toBe(0);
    expect((await windowOf(conversation!.id))?.toISOString()).toBe(windowBefore?.toISOString());
    const refused = await sendText(s.ws, contact!.id, s.channelId, 'Un texte libre');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('outside_service_window');

    const messages = await thread(s.ws, conversation!.id);
    expect(messages.map((m) => m.contentType)).toEqual(['image', 'text', 'system', 'system']);
    expect(messages[0]).toMatchObject({ text: 'Facture corrigée', edited: true, content: { caption: 'Facture corrigée' } });
    expect(messages[0].versions.map((v: { text: string }) => v.text)).toEqual(['Facture', 'Facture corrigée']);
    expect(messages[1].customerReaction).toMatchObject({ emoji: '👍' });
    expect(messages[3]).toMatchObject({ direction: 'in', text: 'A changé de numéro', content: { systemKind: 'number_changed', oldPhone: '+33655555555', newPhone: '+33666666666' } });
    const contacts = await contactsOf(s.ws.workspaceId);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.phone).toBe('+33666666666');
    expect(await identities(contact!.id)).toEqual(['phone:+33655555555 (retired)']);

    // Taking the reaction back; the new number writes to the same contact and conversation.
    await deliver(s, s.fake.webhooks.reaction({ from: '33666666666', messageId: wamid, emoji: '' }));
    expect((await thread(s.ws, conversation!.id))[1].customerReaction).toBeNull();
    await deliver(s, s.fake.webhooks.inboundText({ from: '33666666666', body: 'Me revoici' }));
    expect(await contactsOf(s.ws.workspaceId)).toHaveLength(1);
    const final = (await conversations(s.ws)).find((c) => c.id === conversation!.id)!;
    expect(final.unreadCount).toBe(1);
  });

  it('9. messages sent from the WhatsApp Business app appear as the business’s, with their edits and deletions', async () => {
    const s = await setupCloud();
    const first = customerWamid();
    await deliver(s, s.fake.webhooks.echoes([{ to: '33677777777', id: first, type: 'text', body: { text: { body: 'Votre commande est prête' } } }]));
    await deliver(
      s,
      s.fake.webhooks.echoes([
        { to: '33677777777', type: 'edit', body: { edit: { original_message_id: first, message: { type: 'text', text: { body: 'Votre commande est prête !' } } } } },
        { to: '33677777777', type: 'image', body: { image: { id: 'MEDIA-E', mime_type: 'image/jpeg', caption: 'Le colis' } } },
      ]),
    );
    await deliver(s, s.fake.webhooks.echoes([{ to: '33677777777', type: 'revoke', body: { revoke: { original_message_id: first } } }]));
    const [conversation] = await conversations(s.ws);
    expect(conversation!.unreadCount).toBe(0);
    expect(await windowOf(conversation!.id)).toBeNull();
    const messages = await thread(s.ws, conversation!.id);
    expect(messages.map((m) => [m.direction, m.origin, m.contentType, m.status])).toEqual([
      ['out', 'app', 'text', 'sent'],
      ['out', 'app', 'image', 'sent'],
    ]);
    expect(messages[0]).toMatchObject({ text: 'Votre commande est prête !', edited: true, deletion: { scope: 'everyone', outcomes: [{ outcome: 'unknown' }] } });
    expect(messages[0].revocableUntil).toBeNull();
  });

  it('raw deliveries are reprocessed idempotently: misread placeholders become what they were, lost ones arrive', async () => {
    const s = await setupCloud();
    // As Errata stored it before it knew this kind: the fact and the message are an empty
    // "type not shown" placeholder (here: an interactive kind the parser does not know).
    const id = customerWamid();
    await deliver(s, s.fake.webhooks.ofType({ from: '33688888888', id, type: 'interactive', body: { interactive: { type: 'a_future_reply' } } }));
    const [conversation] = await conversations(s.ws);
    const [row] = await thread(s.ws, conversation!.id);
    expect(row).toMatchObject({ contentType: 'unsupported', providerErrors: [{ code: 'type_not_shown' }] });
    // What had really arrived (kept as raw bodies), read again by today's parser: the button
    // reply, and a customer known only by their user id whom the old parser dropped.
    const since = t.clock.now();
    for (const payload of [
      s.fake.webhooks.interactive({ from: '33688888888', id, reply: { kind: 'button_reply', id: 'yes', title: 'Oui' } }),
      s.fake.webhooks.inboundText({ from: '', hideNumber: true, userId: 'FR.4242', body: 'Perdu puis retrouvé' }),
    ]) {
      const body = Buffer.from(JSON.stringify(payload));
      await db()
        .insertInto('webhook_deliveries')
        .values({ id: crypto.randomUUID(), provider: 'whatsapp-cloud', channel_ids: sql<string[]>`${[s.channelId]}::uuid[]`, received_at: since, body, body_size: body.length, outcome: 'stored', headers: '{}' })
        .execute();
    }

    const first = await reprocessWebhooks(t.app.ctx, { since: new Date(since.getTime() - 60_000), channelIds: [s.channelId] });
    await settle(t);
    expect(first).toMatchObject({ deliveries: 3, stored: 2, unchanged: 1, unreadable: 0 });
    const again = await reprocessWebhooks(t.app.ctx, { since: new Date(since.getTime() - 60_000), channelIds: [s.channelId] });
    await settle(t);
    expect(again).toMatchObject({ deliveries: 3, stored: 0, unchanged: 3 });

    const upgraded = (await thread(s.ws, conversation!.id))[0];
    expect(upgraded).toMatchObject({ id: row.id, contentType: 'interactive_reply', text: 'Oui', content: { id: 'yes' } });
    const events = await call(t, 'GET', `/api/v1/messages/${row.id}/events`, { token: s.ws.tokens.agent });
    expect(events.body.items.filter((e: { type: string }) => e.type === 'message.reinterpreted')).toHaveLength(1);
    const all = await conversations(s.ws);
    expect(all).toHaveLength(2);
    const found = all.find((c) => c.contact.handle === 'FR.4242')!;
    expect((await thread(s.ws, found.id)).map((m) => m.text)).toEqual(['Perdu puis retrouvé']);
    // The evidence cannot be rewritten.
    await expect(db().updateTable('webhook_deliveries').set({ body_size: 1 }).where(sql<boolean>`channel_ids @> ${[s.channelId]}::uuid[]`).execute()).rejects.toThrow(/append-only/);
  });

  it('the CLI checks its --since before touching the database', async () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/errata.js');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'webhooks', 'reprocess', '--since', 'yesterday'], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
      let stderr = '';
      child.stderr.on('data', (c) => {
        stderr += c;
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/2026-04-01T08:00:00Z/);
  });
});

interface Evolution {
  ws: TestWorkspace;
  fake: EvolutionApiFake;
  channelId: string;
  url: string;
}

let evoSeq = 0;
async function setupEvolution(): Promise<Evolution> {
  evoSeq++;
  const fake = await startEvolutionApiFake({ apiKey: `evo19-${process.pid}-${evoSeq}`, instance: `errata19-${process.pid}-${evoSeq}` });
  closers.push(fake);
  const ws = await createTestWorkspace(t);
  const created = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'evolution', name: 'Gateway', defaultHoldSeconds: 0, config: { baseUrl: fake.url, apiKey: fake.apiKey, instance: fake.instance } },
  });
  expect(created.status).toBe(201);
  return { ws, fake, channelId: created.body.id, url: `${t.baseUrl}${created.body.provider.webhookPath}` };
}

describe('Evolution API (issue 19)', () => {
  it('5. a customer’s edit, keyed from their side (fromMe, our own number), applies to their message', async () => {
    const s = await setupEvolution();
    const id = evolutionMessageId();
    await deliver(s, s.fake.webhooks.upsert({ from: '5511999990001', text: 'Chego segunda', id }));
    await deliver(s, s.fake.webhooks.edited({ id, remoteJid: `${s.fake.ownNumber}@s.whatsapp.net`, fromMe: true, text: 'Chego terça' }));
    const [conversation] = await conversations(s.ws);
    const [message] = await thread(s.ws, conversation!.id);
    expect(message).toMatchObject({ text: 'Chego terça', edited: true, direction: 'in' });
    expect(message.versions.map((v: { text: string }) => v.text)).toEqual(['Chego segunda', 'Chego terça']);
    expect(conversation!.unreadCount).toBe(1);
  });

  it('6. @lid senders are filed under their real number with the LID kept; LID-only contacts are answered at the LID and merged later', async () => {
    const s = await setupEvolution();
    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990002', lid: '123456789012345', message: { conversation: 'Oi' }, messageType: 'conversation' }));
    const [ana] = await contactsOf(s.ws.workspaceId);
    expect(ana!.phone).toBe('+5511999990002');
    expect(await identities(ana!.id)).toEqual(['lid:123456789012345@lid']);
    const reply = await sendText(s.ws, ana!.id, s.channelId, 'Olá Ana');
    expect(reply.status).toBe(202);
    await settle(t);
    expect(s.fake.sent.at(-1)).toMatchObject({ number: '5511999990002' });

    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990003', lid: '999888777666555', lidOnly: true, message: { conversation: 'Só LID' }, messageType: 'conversation' }));
    const bruno = (await contactsOf(s.ws.workspaceId)).find((c) => c.id !== ana!.id)!;
    expect(bruno.phone).toBeNull();
    const toLid = await sendText(s.ws, bruno.id, s.channelId, 'Olá');
    expect(toLid.status).toBe(202);
    await settle(t);
    expect(s.fake.sent.at(-1)).toMatchObject({ number: '999888777666555@lid', remoteJid: '999888777666555@lid' });
    expect((await call(t, 'GET', `/api/v1/messages/${toLid.body.id}`, { token: s.ws.tokens.agent })).body.status).toBe('sent');
    // Later the same person comes with both forms: no second contact, the number is added.
    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990003', lid: '999888777666555', message: { conversation: 'Agora com número' }, messageType: 'conversation' }));
    const contacts = await contactsOf(s.ws.workspaceId);
    expect(contacts).toHaveLength(2);
    expect(contacts.find((c) => c.id === bruno.id)!.phone).toBe('+5511999990003');
  });

  it('7. a body with "apikey": null is authenticated by its header, not refused', async () => {
    const s = await setupEvolution();
    const payload = { ...s.fake.webhooks.upsert({ from: '5511999990004', text: 'sem chave no corpo' }), apikey: null };
    const ok = await s.fake.sendWebhook(s.url, payload, { apikeyHeader: s.fake.apiKey });
    expect(ok.status).toBe(200);
    const refused = await s.fake.sendWebhook(s.url, payload, { apikeyHeader: null });
    expect(refused.status).toBe(401);
    await settle(t);
    expect((await conversations(s.ws))[0]!.lastMessageText).toBe('sem chave no corpo');
  });

  it('8. a 5 MB media body is accepted and its media stored; one over the limit gets 413 and a placeholder', async () => {
    const s = await setupEvolution();
    const bytes = Buffer.alloc(3_800_000, 7);
    bytes.write('\x89PNG', 0, 'latin1');
    const payload = s.fake.webhooks.upsertContent({
      from: '5511999990005',
      message: { imageMessage: { caption: 'Comprovante', mimetype: 'image/png' } },
      messageType: 'imageMessage',
      base64: bytes.toString('base64'),
    });
    expect(JSON.stringify(payload).length).toBeGreaterThan(5_000_000);
    const started = Date.now();
    const accepted = await s.fake.sendWebhook(s.url, payload);
    expect(accepted.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    await settle(t);
    const [conversation] = await conversations(s.ws);
    const [image] = await thread(s.ws, conversation!.id);
    expect(image).toMatchObject({ contentType: 'image', text: 'Comprovante', content: { mimeType: 'image/png', stored: { size: bytes.length } } });
    const download = await fetch(`${t.baseUrl}${image.mediaUrl}`, { headers: { authorization: `Bearer ${s.ws.tokens.agent}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const [delivery] = await deliveriesOf(s.channelId);
    expect(delivery).toMatchObject({ media_extracted: true, outcome: 'stored' });
    expect(Number(delivery!.body_size)).toBeGreaterThan(5_000_000);
    expect(delivery!.body!.length).toBeLessThan(5_000);
    // Kept as evidence, without the instance's key.
    expect(Buffer.from(delivery!.body!).toString()).not.toContain(s.fake.apiKey);
    expect(JSON.parse(Buffer.from(delivery!.body!).toString())).toMatchObject({ apikey: '[redacted]', data: { key: { remoteJid: '5511999990005@s.whatsapp.net' } } });

    const huge = s.fake.webhooks.upsertContent({
      from: '5511999990005',
      id: 'BIGIMAGE1',
      message: { videoMessage: { caption: 'vídeo', mimetype: 'video/mp4' } },
      messageType: 'videoMessage',
      base64: Buffer.alloc(MEDIA_LIMIT, 1).toString('base64'),
    });
    // Without the header the body's key is out of reach: 413, nothing recorded.
    const anonymous = await s.fake.sendWebhook(s.url, huge, { apikeyHeader: null });
    expect(anonymous.status).toBe(413);
    await settle(t);
    expect(await thread(s.ws, conversation!.id)).toHaveLength(1);
    const refused = await s.fake.sendWebhook(s.url, huge);
    expect(refused.status).toBe(413);
    await settle(t);
    const after = await thread(s.ws, conversation!.id);
    expect(after.map((m) => m.contentType)).toEqual(['image', 'too_large']);
    expect(after[1]).toMatchObject({ direction: 'in', content: { limit: MEDIA_LIMIT }, providerErrors: [{ code: 'body_too_large' }] });
    expect((await conversations(s.ws))[0]!.unreadCount).toBe(2);
  });

  it('reactions are shown on their message; messages typed on the business phone appear as the business’s', async () => {
    const s = await setupEvolution();
    await deliver(s, s.fake.webhooks.upsert({ from: '5511999990006', text: 'Oi' }));
    const [contact] = await contactsOf(s.ws.workspaceId);
    const sent = await sendText(s.ws, contact!.id, s.channelId, 'Your order has shipped');
    await settle(t);
    const keyId = s.fake.sent.at(-1)!.id;
    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990006', message: { reactionMessage: { key: { id: keyId, fromMe: true, remoteJid: '5511999990006@s.whatsapp.net' }, text: '❤️' } }, messageType: 'reactionMessage' }));
    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990006', fromMe: true, source: 'ios', message: { conversation: 'Digitado no celular' }, messageType: 'conversation' }));
    // Our own send echoed back by the gateway is not a second message.
    await deliver(s, s.fake.webhooks.upsertContent({ from: '5511999990006', fromMe: true, id: keyId, source: 'web', message: { conversation: 'Your order has shipped' }, messageType: 'conversation' }));
    const [conversation] = await conversations(s.ws);
    const messages = await thread(s.ws, conversation!.id);
    expect(messages.map((m) => [m.direction, m.origin, m.text])).toEqual([
      ['in', null, 'Oi'],
      ['out', null, 'Your order has shipped'],
      ['out', 'app', 'Digitado no celular'],
    ]);
    expect(messages[1]).toMatchObject({ id: sent.body.id, customerReaction: { emoji: '❤️' } });
    expect(conversation!.unreadCount).toBe(1);
  });
});
