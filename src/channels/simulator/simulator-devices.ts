import type { Tx } from '../../db/database.ts';
import type { EventRecord } from '../../db/queries/message-queries.ts';
import {
  listDevicesOfContacts,
  listDeviceStates,
  toDeviceCopy,
  upsertDeviceStates,
} from '../../db/queries/simulator-queries.ts';
import type { ChannelRow, DeviceRow, MessageRow } from '../../db/schema.ts';
import { emptyCopy, syncDeviceCopy } from '../../domain/device-delivery.ts';
import { simulatorSettings } from '../channel-rules.ts';

/**
 * The simulator's side of the wire: brings every device of the customer up to date with these
 * messages (deliveries, edits, revokes), as WhatsApp's servers would for real phones.
 */
export async function syncMessagesToDevices(
  trx: Tx,
  channel: ChannelRow,
  messages: readonly MessageRow[],
  now: Date,
  devicesByContact?: ReadonlyMap<string, DeviceRow[]>,
): Promise<EventRecord[]> {
  const settings = simulatorSettings(channel);
  const states = await listDeviceStates(
    trx,
    messages.map((m) => m.id),
  );
  const stateOf = new Map(states.map((s) => [`${s.message_id}:${s.device_id}`, s]));
  const writes: Parameters<typeof upsertDeviceStates>[1][number][] = [];
  const events: EventRecord[] = [];
  const devicesCache = new Map(devicesByContact ?? []);
  const missing = [...new Set(messages.map((m) => m.contact_id))].filter((id) => !devicesCache.has(id));
  for (const device of await listDevicesOfContacts(trx, missing)) {
    const list = devicesCache.get(device.contact_id) ?? [];
    list.push(device);
    devicesCache.set(device.contact_id, list);
  }
  for (const message of messages) {
    if (message.direction !== 'out') continue;
    const devices = devicesCache.get(message.contact_id) ?? [];
    for (const device of devices) {
      // A device linked after the message left never receives it.
      if (message.sent_at && device.created_at > message.sent_at) continue;
      const existing = toDeviceCopy(stateOf.get(`${message.id}:${device.id}`));
      const change = syncDeviceCopy(
        { sentAt: message.sent_at, sentVersion: message.sent_version, version: message.version, revokedAt: message.revoked_at },
        { id: device.id, clientVersion: device.client_version, online: device.online },
        existing ?? emptyCopy,
        settings,
        now,
      );
      if (!existing || change.events.length > 0) {
        writes.push({ messageId: message.id, deviceId: device.id, workspaceId: message.workspace_id, copy: change.copy });
      }
      for (const e of change.events) {
        events.push({
          ...e,
          workspaceId: message.workspace_id,
          conversationId: message.conversation_id,
          messageId: message.id,
          actorUserId: null,
          at: now,
        });
      }
    }
  }
  await upsertDeviceStates(trx, writes);
  return events;
}
