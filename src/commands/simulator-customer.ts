import type { AppContext } from '../app-context.ts';
import { syncMessagesToDevices } from '../channels/simulator/simulator-devices.ts';
import { getChannel, listChannels } from '../db/queries/channel-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { upsertConversation } from '../db/queries/conversation-queries.ts';
import {
  type EventRecord,
  insertMessage,
  systemEvent,
  insertVersion,
  listVersions,
  lockMessagesById,
  toMessageState,
  updateMessage,
} from '../db/queries/message-queries.ts';
import {
  getDevice,
  insertDevice,
  listDevices,
  listDeviceStates,
  listMessagesOfContact,
  listSentMessagesOfContact,
  toDeviceCopy,
  updateDevice,
  upsertDeviceStates,
} from '../db/queries/simulator-queries.ts';
import type { ChannelRow, DeviceRow, MessageRow } from '../db/schema.ts';
import { simulatorSettings } from '../channels/channel-rules.ts';
import { defaultSimulatorSettings } from '../domain/channel-profile.ts';
import { isOutdatedClient } from '../domain/client-version.ts';
import { getMedia } from '../db/queries/webhook-delivery-queries.ts';
import { summaryOf } from '../domain/inbound-content.ts';
import { cleanFilename, decideMedia } from '../domain/media-policy.ts';
import { describeBytes } from './upload-media.ts';
import { readOnDevice } from '../domain/device-delivery.ts';
import { decideRead } from '../domain/message-lifecycle.ts';
import { deviceScreenLine, type ScreenLine } from '../domain/message-views.ts';
import { CommandError, notFound, nouns } from './command-error.ts';
import { onCustomerMessage } from './inbox/on-customer-message.ts';
import { inTransaction, type UnitOfWork } from './unit-of-work.ts';

/**
 * The customer's side of the simulator: their devices, reading, replying, and what each device
 * shows. This is the training sandbox and the test bed for honest deletion.
 */
async function requireContact(ctx: AppContext, workspaceId: string, contactId: string) {
  const contact = await getContact(ctx.db, workspaceId, contactId);
  if (!contact) throw notFound(nouns.contact);
  return contact;
}

async function simulatorChannels(ctx: AppContext, workspaceId: string): Promise<Map<string, ChannelRow>> {
  const channels = await listChannels(ctx.db, workspaceId);
  return new Map(channels.filter((c) => c.type === 'simulator').map((c) => [c.id, c]));
}

export async function addDevice(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
  input: { label: string; clientVersion: string; online: boolean },
): Promise<DeviceRow> {
  await requireContact(ctx, workspaceId, contactId);
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const row: DeviceRow = {
      id: crypto.randomUUID(),
      workspace_id: workspaceId,
      contact_id: contactId,
      label: input.label,
      client_version: input.clientVersion,
      online: input.online,
      created_at: now,
      updated_at: now,
    };
    await insertDevice(uow.trx, row);
    await uow.record([
      {
        type: 'device.added',
        data: { deviceId: row.id, contactId, label: row.label },
        workspaceId,
        conversationId: null,
        messageId: null,
        actorUserId: null,
        at: now,
      },
    ]);
    return row;
  });
}

/** Changing a device (reconnecting it, updating its app) lets it catch up on what it missed. */
export async function updateSimulatorDevice(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
  deviceId: string,
  change: { label?: string | undefined; clientVersion?: string | undefined; online?: boolean | undefined },
): Promise<DeviceRow> {
  await requireContact(ctx, workspaceId, contactId);
  const channels = await simulatorChannels(ctx, workspaceId);
  return inTransaction(ctx, async (uow) => {
    const device = await getDevice(uow.trx, workspaceId, contactId, deviceId);
    if (!device) throw notFound(nouns.device);
    const now = ctx.clock.now();
    const updated = await updateDevice(uow.trx, device.id, {
      ...(change.label !== undefined ? { label: change.label } : {}),
      ...(change.clientVersion !== undefined ? { clientVersion: change.clientVersion } : {}),
      ...(change.online !== undefined ? { online: change.online } : {}),
      now,
    });
    const events: EventRecord[] = [
      {
        type: 'device.updated',
        data: { deviceId, online: updated.online, clientVersion: updated.client_version },
        workspaceId,
        conversationId: null,
        messageId: null,
        actorUserId: null,
        at: now,
      },
    ];
    if (updated.online) events.push(...(await catchUp(uow, channels, workspaceId, contactId, now)));
    await uow.record(events);
    return updated;
  });
}

async function catchUp(
  uow: UnitOfWork,
  channels: Map<string, ChannelRow>,
  workspaceId: string,
  contactId: string,
  now: Date,
): Promise<EventRecord[]> {
  const messages = await listSentMessagesOfContact(uow.trx, workspaceId, contactId);
  const events: EventRecord[] = [];
  for (const [channelId, channel] of channels) {
    const mine = messages.filter((m) => m.channel_id === channelId);
    if (mine.length === 0) continue;
    const deviceEvents = await syncMessagesToDevices(uow.trx, channel, mine, now);
    events.push(...deviceEvents);
    const deliveredIds = new Set(deviceEvents.filter((e) => e.type === 'device.delivered').map((e) => e.messageId));
    for (const row of mine) {
      if (!deliveredIds.has(row.id) || row.status !== 'sent') continue;
      await updateMessage(uow.trx, row.id, { status: 'delivered', deliveredAt: now }, now);
      events.push(event(row, 'message.delivered', now));
    }
  }
  return events;
}

function event(row: MessageRow, type: string, at: Date, data: Record<string, unknown> = {}): EventRecord {
  return systemEvent(row, type, data, at);
}

/** The customer opens the chat: on the given device, or on every online one. */
export async function customerReads(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
  deviceId?: string,
): Promise<{ readMessageIds: string[] }> {
  await requireContact(ctx, workspaceId, contactId);
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const read = await readOn(uow, workspaceId, contactId, deviceId, now);
    return { readMessageIds: read };
  });
}

async function readOn(uow: UnitOfWork, workspaceId: string, contactId: string, deviceId: string | undefined, now: Date) {
  const devices = (await listDevices(uow.trx, workspaceId, contactId)).filter((d) => !deviceId || d.id === deviceId);
  if (deviceId && devices.length === 0) throw notFound(nouns.device);
  const sent = await listSentMessagesOfContact(uow.trx, workspaceId, contactId);
  const states = await listDeviceStates(
    uow.trx,
    sent.map((m) => m.id),
  );
  const writes: Parameters<typeof upsertDeviceStates>[1][number][] = [];
  const events: EventRecord[] = [];
  const readIds = new Set<string>();
  for (const device of devices) {
    for (const state of states.filter((s) => s.device_id === device.id)) {
      const copy = toDeviceCopy(state)!;
      const change = readOnDevice({ id: device.id, clientVersion: device.client_version, online: device.online }, copy, now);
      if (change.events.length === 0) continue;
      writes.push({ messageId: state.message_id, deviceId: device.id, workspaceId, copy: change.copy });
      readIds.add(state.message_id);
      const row = sent.find((m) => m.id === state.message_id)!;
      for (const e of change.events) events.push(event(row, e.type, now, e.data));
    }
  }
  await upsertDeviceStates(uow.trx, writes);
  const locked = await lockMessagesById(uow.trx, [...readIds]);
  for (const row of locked) {
    const decision = decideRead(toMessageState(row), now);
    if (!decision.ok || decision.events.length === 0) continue;
    await updateMessage(uow.trx, row.id, decision.patch, now);
    for (const e of decision.events) events.push(event(row, e.type, now, e.data));
  }
  await uow.record(events);
  return [...readIds];
}

/** The customer answers (which means they opened the chat on that device). */
export async function customerReplies(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
  input: { text?: string | undefined; deviceId?: string | undefined; channelId?: string | undefined; media?: { id: string; filename?: string | undefined } | undefined },
): Promise<MessageRow> {
  const contact = await requireContact(ctx, workspaceId, contactId);
  const media = input.media ? await customerMediaOf(ctx, workspaceId, input.media) : null;
  const text = input.text ?? '';
  const channels = await simulatorChannels(ctx, workspaceId);
  const channel = input.channelId ? await getChannel(ctx.db, workspaceId, input.channelId) : [...channels.values()][0];
  if (channel?.type !== 'simulator') {
    throw new CommandError('validation_failed', {
      en: 'Customer replies can only be simulated on a simulator channel.',
      fr: 'Les réponses du client ne peuvent être simulées que sur un canal simulateur.',
    });
  }
  return inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const devices = await listDevices(uow.trx, workspaceId, contactId);
    const device = input.deviceId ? devices.find((d) => d.id === input.deviceId) : devices.find((d) => d.online);
    if (input.deviceId && !device) throw notFound(nouns.device);
    if (device && !device.online) {
      throw new CommandError('conflict', {
        en: 'This device is offline: bring it online to reply from it.',
        fr: 'Cet appareil est hors ligne : reconnectez-le pour répondre depuis celui-ci.',
      });
    }
    if (device) await readOn(uow, workspaceId, contactId, device.id, now);
    const conversationId = await upsertConversation(uow.trx, {
      id: crypto.randomUUID(),
      workspaceId,
      contactId: contact.id,
      channelId: channel.id,
      at: now,
      text: media ? summaryOf(media.type, text) : text,
      incoming: true,
    });
    const row = await insertMessage(uow.trx, {
      id: crypto.randomUUID(),
      workspace_id: workspaceId,
      conversation_id: conversationId,
      channel_id: channel.id,
      contact_id: contact.id,
      direction: 'in',
      author_user_id: null,
      status: 'received',
      text,
      ...(media ? { content_type: media.type, content: JSON.stringify(media) } : {}),
      version: 1,
      sent_version: 1,
      sent_at: now,
      read_before_revoke: false,
      send_attempts: 0,
      created_at: now,
      updated_at: now,
    });
    await insertVersion(uow.trx, { messageId: row.id, workspaceId, version: 1, text, at: now, by: null });
    const workflow = await onCustomerMessage(uow.trx, { workspaceId, conversationId, now });
    await uow.record([event(row, 'message.received', now, device ? { deviceId: device.id } : {}), ...workflow.map((e) => event(row, e.type, now, e.data))]);
    return row;
  });
}

/** A file the simulated customer sends: the same policy as the team's uploads. */
async function customerMediaOf(ctx: AppContext, workspaceId: string, ref: { id: string; filename?: string | undefined }) {
  const row = await getMedia(ctx.db, workspaceId, ref.id);
  if (!row) {
    throw new CommandError('validation_failed', { en: 'This file was not found: upload it again.', fr: 'Ce fichier est introuvable : téléversez-le à nouveau.' }, { field: 'media.id' });
  }
  const decision = decideMedia(await describeBytes(row.mime_type ?? '', Buffer.from(row.bytes)));
  if (!decision.ok) throw new CommandError(decision.code, decision.message, { reason: decision.reason, field: 'media.id' });
  const filename = cleanFilename(ref.filename);
  return { type: decision.kind, mimeType: decision.mimeType, sha256: row.sha256, ...(filename ? { filename } : {}), stored: { sha256: row.sha256, size: row.size } };
}

/** Where a line's image or document is fetched (a message whose bytes Errata has). */
function lineMedia(m: MessageRow): ScreenLine['media'] {
  const c = m.content as { type?: unknown; filename?: unknown; stored?: { size?: unknown } } | null;
  if (!c?.stored || (c.type !== 'image' && c.type !== 'document')) return null;
  return { kind: c.type, url: `/api/v1/messages/${m.id}/media`, filename: typeof c.filename === 'string' ? c.filename : null, size: Number(c.stored.size) };
}

/** A reply shows the message it quotes as that same device shows it (a tombstone stays a tombstone). */
function withQuotes(lines: ScreenLine[], replyTo: ReadonlyMap<string, string>): ScreenLine[] {
  if (replyTo.size === 0) return lines;
  const byId = new Map(lines.map((l) => [l.messageId, l]));
  return lines.map((line) => {
    const quotedId = replyTo.get(line.messageId);
    if (!quotedId) return line;
    const quoted = byId.get(quotedId);
    return { ...line, quoted: quoted ? { messageId: quoted.messageId, kind: quoted.kind, text: quoted.text } : null };
  });
}

export interface DeviceScreen {
  device: { id: string; label: string; clientVersion: string; online: boolean; outdated: boolean };
  lines: ScreenLine[];
}

/** What each of the customer's devices shows right now, oldest line first, in the contact's language. */
export async function customerScreens(
  ctx: AppContext,
  workspaceId: string,
  contactId: string,
): Promise<{ contactId: string; language: 'fr' | 'en'; devices: DeviceScreen[] }> {
  const contact = await requireContact(ctx, workspaceId, contactId);
  const channel = [...(await simulatorChannels(ctx, workspaceId)).values()][0];
  const minClientVersion = channel ? simulatorSettings(channel).minClientVersion : defaultSimulatorSettings.minClientVersion;
  const language = contact.language === 'en' ? 'en' : 'fr';
  const [devices, messages] = await Promise.all([
    listDevices(ctx.db, workspaceId, contactId),
    listMessagesOfContact(ctx.db, workspaceId, contactId, 200),
  ]);
  const ordered = [...messages].reverse();
  const ids = ordered.map((m) => m.id);
  const [versions, states] = await Promise.all([listVersions(ctx.db, ids), listDeviceStates(ctx.db, ids)]);
  const replyTo = new Map(ordered.filter((m) => m.reply_to_message_id).map((m) => [m.id, m.reply_to_message_id!]));
  return {
    contactId,
    language,
    devices: devices.map((device) => ({
      device: {
        id: device.id,
        label: device.label,
        clientVersion: device.client_version,
        online: device.online,
        outdated: isOutdatedClient(device.client_version, minClientVersion),
      },
      lines: withQuotes(
        ordered
          .map((m) =>
            deviceScreenLine(
              {
                id: m.id,
                direction: m.direction,
                createdAt: m.created_at,
                sentAt: m.sent_at,
                sentVersion: m.sent_version,
                versions: new Map(versions.filter((v) => v.message_id === m.id).map((v) => [v.version, v.text])),
              },
              toDeviceCopy(states.find((s) => s.message_id === m.id && s.device_id === device.id)),
              language,
            ),
          )
          .filter((line): line is ScreenLine => line !== null)
          .map((line) => {
            const media = line.kind === 'text' ? lineMedia(ordered.find((m) => m.id === line.messageId)!) : null;
            return media ? { ...line, media } : line;
          }),
        replyTo,
      ),
    })),
  };
}
