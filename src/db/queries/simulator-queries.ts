import type { DeviceCopy } from '../../domain/device-delivery.ts';
import type { DbOrTx } from '../database.ts';
import type { DeviceRow, DeviceStateRow } from '../schema.ts';

export async function insertDevice(db: DbOrTx, row: DeviceRow) {
  await db.insertInto('simulator_devices').values(row).execute();
}

export function listDevices(db: DbOrTx, workspaceId: string, contactId: string) {
  return db
    .selectFrom('simulator_devices')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listDevicesOfContacts(db: DbOrTx, contactIds: readonly string[]) {
  if (contactIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('simulator_devices')
    .selectAll()
    .where('contact_id', 'in', contactIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function getDevice(db: DbOrTx, workspaceId: string, contactId: string, id: string) {
  return db
    .selectFrom('simulator_devices')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateDevice(
  db: DbOrTx,
  id: string,
  change: { label?: string; clientVersion?: string; online?: boolean; now: Date },
): Promise<DeviceRow> {
  return db
    .updateTable('simulator_devices')
    .set({
      ...(change.label !== undefined ? { label: change.label } : {}),
      ...(change.clientVersion !== undefined ? { client_version: change.clientVersion } : {}),
      ...(change.online !== undefined ? { online: change.online } : {}),
      updated_at: change.now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listDeviceStates(db: DbOrTx, messageIds: readonly string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('message_device_states').selectAll().where('message_id', 'in', messageIds).execute();
}

export function toDeviceCopy(row: DeviceStateRow | undefined): DeviceCopy | undefined {
  if (!row) return undefined;
  return {
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    shownVersion: row.shown_version,
    revokeOutcome: row.revoke_outcome,
    revokeRequestedAt: row.revoke_requested_at,
    revokeResolvedAt: row.revoke_resolved_at,
  };
}

export async function upsertDeviceStates(
  db: DbOrTx,
  rows: readonly { messageId: string; deviceId: string; workspaceId: string; copy: DeviceCopy }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('message_device_states')
    .values(
      rows.map((r) => ({
        message_id: r.messageId,
        device_id: r.deviceId,
        workspace_id: r.workspaceId,
        delivered_at: r.copy.deliveredAt,
        read_at: r.copy.readAt,
        shown_version: r.copy.shownVersion,
        revoke_outcome: r.copy.revokeOutcome,
        revoke_requested_at: r.copy.revokeRequestedAt,
        revoke_resolved_at: r.copy.revokeResolvedAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['message_id', 'device_id']).doUpdateSet((eb) => ({
        delivered_at: eb.ref('excluded.delivered_at'),
        read_at: eb.ref('excluded.read_at'),
        shown_version: eb.ref('excluded.shown_version'),
        revoke_outcome: eb.ref('excluded.revoke_outcome'),
        revoke_requested_at: eb.ref('excluded.revoke_requested_at'),
        revoke_resolved_at: eb.ref('excluded.revoke_resolved_at'),
      })),
    )
    .execute();
}

function simulatorMessagesOf(db: DbOrTx, workspaceId: string, contactId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('channels', 'channels.id', 'messages.channel_id')
    .selectAll('messages')
    .where('messages.workspace_id', '=', workspaceId)
    .where('messages.contact_id', '=', contactId)
    .where('channels.type', '=', 'simulator');
}

/** Outgoing messages of a contact that left for the simulator, for its devices to catch up. */
export function listSentMessagesOfContact(db: DbOrTx, workspaceId: string, contactId: string) {
  return simulatorMessagesOf(db, workspaceId, contactId)
    .where('messages.direction', '=', 'out')
    .where('messages.sent_at', 'is not', null)
    .orderBy('messages.seq')
    .execute();
}

/** The latest messages with a contact on simulator channels, newest first. */
export function listMessagesOfContact(db: DbOrTx, workspaceId: string, contactId: string, limit: number) {
  return simulatorMessagesOf(db, workspaceId, contactId).orderBy('messages.seq', 'desc').limit(limit).execute();
}
