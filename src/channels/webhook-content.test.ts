import { describe, expect, it } from 'vitest';
import { extractEvolutionMedia, sniffEvolutionKey } from './evolution/evolution-media.ts';
import { parseEvolutionWebhook, readVcard } from './evolution/evolution-webhook-parser.ts';
import { cloudChanges, cloudEnvelopeSchema, parseCloudChange } from './whatsapp-cloud/cloud-webhook-parser.ts';

/**
 * Every kind issue 19 lists, written from the providers' public shapes (docs/whatsapp-contracts.md
 * §2.4, §2.6 and §4): what each parser makes of it.
 */
const now = new Date('2026-03-02T10:00:00.000Z');
function parseCloud(value: Record<string, unknown>, field = 'messages') {
  const envelope = cloudEnvelopeSchema.parse({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '123' }, ...value } }] }],
  });
  const { changes } = cloudChanges(envelope);
  return parseCloudChange(changes[0]!, now);
}
const msg = (type: string, body: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  from: '33611111111',
  id: `wamid.${type}`,
  timestamp: '1772445600',
  type,
  ...body,
  ...extra,
});

describe('Cloud API: every kind of message', () => {
  it('names a customer by a business-scoped user id alone, or by both ids merged', () => {
    const onlyId = parseCloud({
      contacts: [{ user_id: 'FR.1502576394655843', profile: { name: 'Léa', username: '@lea' } }],
      messages: [{ from_user_id: 'FR.1502576394655843', id: 'wamid.U1', timestamp: '1772445600', type: 'text', text: { body: 'Bonjour' } }],
    });
    expect(onlyId.events[0]).toMatchObject({ kind: 'inbound', identity: { bsuid: 'FR.1502576394655843' }, profileName: 'Léa', text: 'Bonjour' });
    const both = parseCloud({
      contacts: [{ wa_id: '33611111111', user_id: 'FR.1502576394655843', profile: { name: 'Léa' } }],
      messages: [{ from: '33611111111', from_user_id: 'FR.1502576394655843', id: 'wamid.U2', type: 'text', text: { body: 'Re' } }],
    });
    expect(both.events[0]).toMatchObject({ identity: { phone: '+33611111111', bsuid: 'FR.1502576394655843' } });
    const nobody = parseCloud({ messages: [{ id: 'wamid.U3', type: 'text', text: { body: '?' } }] });
    expect(nobody.ignored).toEqual([{ reason: 'bad_sender', detail: '' }]);
  });

  it('keeps interactive replies and template quick replies with their id, title and payload', () => {
    const { events } = parseCloud({
      messages: [
        msg('interactive', { interactive: { type: 'button_reply', button_reply: { id: 'confirm-42', title: 'Oui, je confirme' } } }, { id: 'wamid.I1' }),
        msg('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'slot-9', title: 'Mardi 9 h', description: 'Salle 2' } } }, { id: 'wamid.I2' }),
        msg('button', { button: { text: 'Annuler', payload: 'CANCEL_APPOINTMENT_42' } }),
      ],
    });
    expect(events.map((e) => e.kind === 'inbound' && [e.contentType, e.text, e.content])).toEqual([
      ['interactive_reply', 'Oui, je confirme', { type: 'interactive_reply', replyKind: 'button', id: 'confirm-42', title: 'Oui, je confirme' }],
      ['interactive_reply', 'Mardi 9 h', { type: 'interactive_reply', replyKind: 'list', id: 'slot-9', title: 'Mardi 9 h', description: 'Salle 2' }],
      ['interactive_reply', 'Annuler', { type: 'interactive_reply', replyKind: 'quick_reply', title: 'Annuler', payload: 'CANCEL_APPOINTMENT_42' }],
    ]);
  });

  it('keeps media, location, contacts and orders typed', () => {
    const { events } = parseCloud({
      messages: [
        msg('image', { image: { id: 'MEDIA1', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'La facture' } }),
        msg('document', { document: { id: 'MEDIA2', mime_type: 'application/pdf', sha256: 'def=', filename: 'devis.pdf' } }),
        msg('audio', { audio: { id: 'MEDIA3', mime_type: 'audio/ogg; codecs=opus', voice: true } }),
        msg('sticker', { sticker: { id: 'MEDIA4', mime_type: 'image/webp', animated: false } }),
        msg('video', { video: { id: 'MEDIA5', mime_type: 'video/mp4', caption: 'Le colis' } }),
        msg('location', { location: { latitude: 48.8566, longitude: 2.3522, name: 'Boutique', address: '1 rue de Rivoli, Paris' } }),
        msg('contacts', { contacts: [{ name: { formatted_name: 'Marc Petit', first_name: 'Marc' }, phones: [{ phone: '+33 6 12 34 56 78', wa_id: '33612345678', type: 'CELL' }], emails: [{ email: 'marc@example.com' }] }] }),
        msg('order', { order: { catalog_id: 'CAT1', text: 'Pour samedi', product_items: [{ product_retailer_id: 'SKU-1', quantity: 2, item_price: 12.5, currency: 'EUR' }] } }),
      ],
    });
    const byType = Object.fromEntries(events.map((e) => (e.kind === 'inbound' ? [e.contentType, e] : ['x', e])));
    expect(byType.image).toMatchObject({ text: 'La facture', content: { type: 'image', mediaId: 'MEDIA1', mimeType: 'image/jpeg', sha256: 'abc=', caption: 'La facture' } });
    expect(byType.document).toMatchObject({ text: 'devis.pdf', content: { filename: 'devis.pdf', mimeType: 'application/pdf' } });
    expect(byType.audio).toMatchObject({ content: { type: 'audio', voice: true } });
    expect(byType.sticker).toMatchObject({ content: { type: 'sticker', animated: false } });
    expect(byType.video).toMatchObject({ content: { type: 'video', caption: 'Le colis' } });
    expect(byType.location).toMatchObject({ text: 'Boutique, 1 rue de Rivoli, Paris', content: { latitude: 48.8566, longitude: 2.3522 } });
    expect(byType.contacts).toMatchObject({ text: 'Marc Petit', content: { contacts: [{ name: 'Marc Petit', phones: [{ phone: '+33 6 12 34 56 78', waId: '33612345678', type: 'CELL' }], emails: ['marc@example.com'] }] } });
    expect(byType.order).toMatchObject({ content: { catalogId: 'CAT1', items: [{ productId: 'SKU-1', quantity: 2, price: 12.5, currency: 'EUR' }] } });
  });

  it('reads reactions, system notices and caption edits as what they are, not as messages', () => {
    const { events } = parseCloud({
      messages: [
        msg('reaction', { reaction: { message_id: 'wamid.OUT1', emoji: '👍' } }),
        msg('reaction', { reaction: { message_id: 'wamid.OUT1' } }, { id: 'wamid.R2' }),
        msg('system', { system: { body: 'Léa changed from +33 6 11 11 11 11 to +33 6 22 22 22 22', new_wa_id: '33622222222', type: 'customer_changed_number' } }),
        msg('system', { system: { body: 'Léa’s security code changed', type: 'customer_identity_changed' } }, { id: 'wamid.S2' }),
        msg('edit', { edit: { original_message_id: 'wamid.image', message: { type: 'image', image: { caption: 'La facture corrigée' } } } }),
      ],
    });
    expect(events.map((e) => e.kind)).toEqual(['reaction', 'reaction', 'system', 'system', 'customer_edited']);
    expect(events[0]).toMatchObject({ providerMessageId: 'wamid.OUT1', emoji: '👍', dedupeKey: 'reaction:wamid.reaction' });
    expect(events[1]).toMatchObject({ emoji: '' });
    expect(events[2]).toMatchObject({ identity: { phone: '+33611111111' }, newIdentity: { phone: '+33622222222' }, content: { systemKind: 'number_changed', newPhone: '+33622222222' } });
    expect(events[3]).toMatchObject({ content: { systemKind: 'identity_changed' } });
    expect(events[4]).toMatchObject({ providerMessageId: 'wamid.image', text: 'La facture corrigée' });
  });

  it('reads smb_message_echoes as the business’s own messages, with their edits and deletions', () => {
    const echo = (type: string, body: Record<string, unknown>, id: string) => ({ from: '15550000001', to: '33611111111', id, timestamp: '1772445600', type, ...body });
    const { events } = parseCloud(
      {
        message_echoes: [
          echo('text', { text: { body: 'Votre commande est prête' } }, 'wamid.E1'),
          echo('edit', { edit: { original_message_id: 'wamid.E1', message: { type: 'text', text: { body: 'Votre commande est prête !' } } } }, 'wamid.E2'),
          echo('revoke', { revoke: { original_message_id: 'wamid.E1' } }, 'wamid.E3'),
        ],
      },
      'smb_message_echoes',
    );
    expect(events[0]).toMatchObject({ kind: 'echo', to: { phone: '+33611111111' }, text: 'Votre commande est prête', contentType: 'text', dedupeKey: 'echo:wamid.E1' });
    expect(events[1]).toMatchObject({ kind: 'customer_edited', side: 'business', providerMessageId: 'wamid.E1' });
    expect(events[2]).toMatchObject({ kind: 'customer_deleted', side: 'business', providerMessageId: 'wamid.E1' });
  });
});

describe('Evolution: every kind of message', () => {
  const base = { instance: 'errata', apikey: null };
  const upsert = (key: Record<string, unknown>, message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    parseEvolutionWebhook({ ...base, event: 'messages.upsert', data: { key: { fromMe: false, id: '3EB0C1', ...key }, pushName: 'Ana', message, messageTimestamp: 1772445600, ...extra } }, now);

  it('files a @lid sender under the real number and keeps the LID as a second identity', () => {
    const lid = upsert({ remoteJid: '123456789012345@lid', remoteJidAlt: '5511999990001@s.whatsapp.net', addressingMode: 'lid' }, { conversation: 'Oi' });
    expect(lid.events[0]).toMatchObject({ kind: 'inbound', identity: { phone: '+5511999990001', lid: '123456789012345@lid' }, chatId: '123456789012345@lid' });
    const onlyLid = upsert({ remoteJid: '123456789012345@lid' }, { conversation: 'Oi' });
    expect(onlyLid.events[0]).toMatchObject({ identity: { lid: '123456789012345@lid' } });
    expect((onlyLid.events[0] as { identity: { phone?: string } }).identity.phone).toBeUndefined();
  });

  it('applies a customer edit whatever side its key is written from', () => {
    // The protocol message as the customer wrote it: fromMe true, remoteJid = our own number.
    const edited = parseEvolutionWebhook(
      { ...base, event: 'messages.edited', data: { key: { remoteJid: '15550000002@s.whatsapp.net', fromMe: true, id: '3EB0AA' }, type: 'MESSAGE_EDIT', editedMessage: { conversation: 'Mardi, pas lundi' }, timestampMs: 1772445660000 } },
      now,
    );
    expect(edited.events[0]).toMatchObject({ kind: 'customer_edited', side: 'sender', providerMessageId: '3EB0AA', text: 'Mardi, pas lundi' });
    const asUpsert = upsert({ remoteJid: '5511999990001@s.whatsapp.net' }, { protocolMessage: { key: { id: '3EB0AA', fromMe: true }, type: 'MESSAGE_EDIT', editedMessage: { imageMessage: { caption: 'nova legenda' } }, timestampMs: 1772445670000 } });
    expect(asUpsert.events[0]).toMatchObject({ kind: 'customer_edited', text: 'nova legenda' });
    const revoke = upsert({ remoteJid: '5511999990001@s.whatsapp.net' }, { protocolMessage: { key: { id: '3EB0AA' }, type: 'REVOKE' } });
    expect(revoke.events[0]).toMatchObject({ kind: 'customer_deleted', providerMessageId: '3EB0AA' });
  });

  it('reads media, location, contacts, interactive replies and reactions', () => {
    const jid = { remoteJid: '5511999990001@s.whatsapp.net' };
    const image = upsert(jid, { imageMessage: { caption: 'Foto', mimetype: 'image/jpeg' }, base64: 'errata-media:sha256:' + 'a'.repeat(64) + ':12' });
    expect(image.events[0]).toMatchObject({ contentType: 'image', text: 'Foto', content: { mimeType: 'image/jpeg', stored: { sha256: 'a'.repeat(64), size: 12 } } });
    const doc = upsert(jid, { documentWithCaptionMessage: { message: { documentMessage: { fileName: 'nota.pdf', mimetype: 'application/pdf', caption: 'segue' } } } });
    expect(doc.events[0]).toMatchObject({ contentType: 'document', content: { filename: 'nota.pdf', caption: 'segue' } });
    const voice = upsert(jid, { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus' } });
    expect(voice.events[0]).toMatchObject({ contentType: 'audio', content: { voice: true } });
    const where = upsert(jid, { locationMessage: { degreesLatitude: -23.55, degreesLongitude: -46.63, name: 'Loja' } });
    expect(where.events[0]).toMatchObject({ contentType: 'location', content: { latitude: -23.55, longitude: -46.63, name: 'Loja' } });
    const card = upsert(jid, { contactMessage: { displayName: 'Marc', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Marc Petit\nTEL;type=CELL;waid=33612345678:+33 6 12 34 56 78\nEND:VCARD' } });
    expect(card.events[0]).toMatchObject({ contentType: 'contacts', content: { contacts: [{ name: 'Marc', phones: [{ phone: '+33 6 12 34 56 78', waId: '33612345678' }] }] } });
    const button = upsert(jid, { buttonsResponseMessage: { selectedButtonId: 'yes', selectedDisplayText: 'Sim' } });
    expect(button.events[0]).toMatchObject({ contentType: 'interactive_reply', text: 'Sim', content: { replyKind: 'button', id: 'yes' } });
    const list = upsert(jid, { listResponseMessage: { title: 'Terça', singleSelectReply: { selectedRowId: 'row-2' } } });
    expect(list.events[0]).toMatchObject({ content: { replyKind: 'list', id: 'row-2', title: 'Terça' } });
    const reaction = upsert(jid, { reactionMessage: { key: { id: '3EB0OUT', fromMe: true, remoteJid: jid.remoteJid }, text: '❤️' } }, { id: 'R1' });
    expect(reaction.events[0]).toMatchObject({ kind: 'reaction', providerMessageId: '3EB0OUT', emoji: '❤️' });
  });

  it('takes messages typed on the business phone as echoes, never our own sends', () => {
    const phone = upsert({ remoteJid: '5511999990001@s.whatsapp.net', fromMe: true, id: '3A1234567890ABCDEF12' }, { conversation: 'Já enviei' }, { source: 'ios' });
    expect(phone.events[0]).toMatchObject({ kind: 'echo', to: { phone: '+5511999990001' }, text: 'Já enviei' });
    const ours = upsert({ remoteJid: '5511999990001@s.whatsapp.net', fromMe: true }, { conversation: 'Olá' }, { source: 'web' });
    expect(ours.events).toEqual([]);
  });

  it('takes base64 media out of a body, and the key out of the first bytes of one too large to read', () => {
    const body = { event: 'messages.upsert', data: { key: { remoteJid: '5511999990001@s.whatsapp.net', id: 'M1' }, message: { imageMessage: { mimetype: 'image/png' }, base64: Buffer.from('png bytes').toString('base64') } } };
    const media = extractEvolutionMedia(body);
    expect(media).toHaveLength(1);
    expect(media[0]!.bytes.toString()).toBe('png bytes');
    expect(body.data.message.base64).toBe(`errata-media:sha256:${media[0]!.sha256}:9`);
    const prefix = JSON.stringify({ event: 'messages.upsert', instance: 'x', data: { key: { remoteJid: '123@lid', remoteJidAlt: '5511999990001@s.whatsapp.net', fromMe: false, id: 'BIG1' }, pushName: 'Ana', message: { imageMessage: {} }, base64: 'AAAA' } }).slice(0, 200);
    expect(sniffEvolutionKey(prefix)).toEqual({ remoteJid: '123@lid', id: 'BIG1', fromMe: false, remoteJidAlt: '5511999990001@s.whatsapp.net', pushName: 'Ana' });
    expect(readVcard('BEGIN:VCARD\r\nFN:Zoé\r\nORG:Maison;\r\nEND:VCARD')).toEqual({ name: 'Zoé', phones: [], emails: [], organization: 'Maison' });
  });
});
