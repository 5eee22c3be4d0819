import { channelRules, simulatorSettings } from '../channels/channel-rules.ts';
import type { DbOrTx } from '../db/database.ts';
import { listChannels } from '../db/queries/channel-queries.ts';
import { listVersions } from '../db/queries/message-queries.ts';
import { listDevicesOfContacts, listDeviceStates } from '../db/queries/simulator-queries.ts';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { messageSchema } from '../contracts/api-schemas.ts';
import type { ChannelRow, DeviceRow, DeviceStateRow, MessageRow, MessageVersionsTable } from '../db/schema.ts';
import { isOutdatedClient } from '../domain/client-version.ts';
import { assessMaybeSeen, editOutcomeOn, type RevokeOutcome } from '../domain/device-delivery.ts';
import { editableUntil, revocableUntil } from '../domain/message-lifecycle.ts';

/** The API's message shape (src/contracts/api-schemas.ts), one definition for server and web app. */
export type MessageView = z.infer<typeof messageSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface RelatedRows {
  versions: readonly Selectable<MessageVersionsTable>[];
  states: readonly DeviceStateRow[];
  channels: readonly ChannelRow[];
  deviceLabels: ReadonlyMap<string, string>;
  /** The customer's simulator devices (online, app version): where an edit stands on each. */
  devices?: ReadonlyMap<string, DeviceRow>;
}

/** Turns message rows into what the API and the web app show, loading related rows in batches. */
export async function buildMessageViews(db: DbOrTx, workspaceId: string, rows: readonly MessageRow[]): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [versions, states, channels, devices] = await Promise.all([
    listVersions(db, ids),
    listDeviceStates(db, ids),
    listChannels(db, workspaceId),
    listDevicesOfContacts(db, [...new Set(rows.map((r) => r.contact_id))]),
  ]);
  return assembleMessageViews(rows, {
    versions,
    states,
    channels,
    deviceLabels: new Map(devices.map((d) => [d.id, d.label])),
    devices: new Map(devices.map((d) => [d.id, d])),
  });
}

/** The view of a message just accepted: everything it has is already in hand, no query needed. */
export function newMessageView(row: MessageRow, channel: ChannelRow): MessageView {
  // Built from what the insert returned: JSON columns come back parsed on both drivers.
  const first = {
    message_id: row.id,
    workspace_id: row.workspace_id,
    version: 1,
    text: row.text,
    created_at: row.created_at,
    created_by: row.author_user_id,
  };
  return assembleMessageViews([row], { versions: [first], states: [], channels: [channel], deviceLabels: new Map() })[0]!;
}

export function assembleMessageViews(rows: readonly MessageRow[], related: RelatedRows): MessageView[] {
  const { versions, states, channels } = related;
  const channelById = new Map<string, ChannelRow>(channels.map((c) => [c.id, c]));
  const deviceLabel = related.deviceLabels;
  return rows.map((row) => {
    const channel = channelById.get(row.channel_id);
    const rules = channel ? channelRules(channel) : null;
    const myStates = states.filter((s) => s.message_id === row.id);
    const myVersions = versions.filter((v) => v.message_id === row.id);
    const outcomes: NonNullable<MessageView['deletion']>['outcomes'] = row.revoked_at
      ? rules?.capabilities.confirmsRevoke
        ? myStates
            .filter((s) => s.revoke_outcome !== null)
            .map((s) => ({
              deviceId: s.device_id,
              deviceLabel: deviceLabel.get(s.device_id) ?? null,
              outcome: s.revoke_outcome as RevokeOutcome,
              resolvedAt: iso(s.revoke_resolved_at),
            }))
        : [{ deviceId: null, deviceLabel: null, outcome: 'unknown', resolvedAt: null }]
      : [];
    const seen = row.revoked_at
      ? assessMaybeSeen(
          row.read_before_revoke,
          outcomes.map((o) => o.outcome),
        )
      : { maybeSeen: false, reasons: [] };
    const state = { sentAt: row.sent_at };
    // An edit after the message left: what each device shows now (an outdated app keeps the previous text).
    const editOutcomes: MessageView['editOutcomes'] =
      row.edited_at && row.sent_at
        ? rules?.capabilities.confirmsRevoke && channel
          ? myStates.map((s) => {
              const device = related.devices?.get(s.device_id);
              const outdated = device ? isOutdatedClient(device.client_version, simulatorSettings(channel).minClientVersion) : false;
              return {
                deviceId: s.device_id,
                deviceLabel: deviceLabel.get(s.device_id) ?? null,
                outcome: editOutcomeOn(row.version, { online: device?.online ?? false, outdated }, { shownVersion: s.shown_version }),
              };
            })
          : [{ deviceId: null, deviceLabel: null, outcome: 'unknown' as const }]
        : [];
    return {
      id: row.id,
      conversationId: row.conversation_id,
      contactId: row.contact_id,
      channelId: row.channel_id,
      direction: row.direction,
      authorUserId: row.author_user_id,
      status: row.status,
      text: row.text,
      contentType: (row.content_type ?? 'text') as MessageView['contentType'],
      content: row.content ?? null,
      origin: row.origin ?? null,
      customerReaction: row.customer_reaction ?? null,
      mediaUrl: (row.content as { stored?: unknown } | null)?.stored ? `/api/v1/messages/${row.id}/media` : null,
      replyToMessageId: row.reply_to_message_id ?? null,
      template: row.template ?? null,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      holdUntil: iso(row.hold_until),
      queuedAt: iso(row.queued_at),
      sentAt: iso(row.sent_at),
      deliveredAt: iso(row.delivered_at),
      readAt: iso(row.read_at),
      failedAt: iso(row.failed_at),
      cancelledAt: iso(row.cancelled_at),
      editedAt: iso(row.edited_at),
      edited: row.edited_at !== null,
      failure: row.failure_code ? { code: row.failure_code, detail: row.failure_detail } : null,
      // Messages sent from the business's phone app are changed there, not through Errata.
      revocableUntil: rules && row.direction === 'out' && !row.origin ? iso(revocableUntil(state, rules)) : null,
      editableUntil: rules && row.direction === 'out' && !row.origin ? iso(editableUntil(state, rules)) : null,
      versions: myVersions.map((v) => ({
        version: v.version,
        text: v.text,
        createdAt: v.created_at.toISOString(),
        createdBy: v.created_by,
      })),
      deletedForMe: row.deleted_for_me_at
        ? { at: row.deleted_for_me_at.toISOString(), by: row.deleted_for_me_by, reason: row.deleted_for_me_reason }
        : null,
      deletedByCustomerAt: iso(row.customer_deleted_at),
      delivery:
        rules && channel?.type !== 'simulator' && row.direction === 'out'
          ? {
              attempts: row.send_attempts,
              nextAttemptAt: row.status === 'queued' ? iso(row.next_attempt_at) : null,
              lastError: row.last_send_error,
              providerMessageId: row.provider_message_id,
            }
          : null,
      providerErrors: (row.provider_errors ?? []) as Record<string, unknown>[],
      deletion: row.revoked_at
        ? {
            scope: 'everyone',
            reason: row.revoke_reason,
            note: row.revoke_note,
            at: row.revoked_at.toISOString(),
            by: row.revoked_by,
            outcomes,
          }
        : row.deleted_for_me_at
          ? {
              scope: 'me',
              reason: row.deleted_for_me_reason,
              note: null,
              at: row.deleted_for_me_at.toISOString(),
              by: row.deleted_for_me_by,
              outcomes: [],
            }
          : null,
      maybeSeen: seen.maybeSeen,
      maybeSeenReasons: seen.reasons,
      editOutcomes,
      guard: row.guard_verdict
        ? {
            verdict: row.guard_verdict as 'pass' | 'warn' | 'review' | 'block',
            findings: (row.guard_findings ?? []) as NonNullable<MessageView['guard']>['findings'],
            acknowledged: row.guard_acknowledged ?? [],
          }
        : null,
      approval: row.approval_requested_at
        ? {
            requestedAt: row.approval_requested_at.toISOString(),
            decision: row.approval_decision,
            decidedBy: row.approval_decided_by,
            decidedAt: iso(row.approval_decided_at),
            reason: row.approval_reason,
            // "Approve with changes": the reviewer wrote the version that left (the author's stays in `versions`).
            changedByReviewer:
              row.approval_decision === 'approved' &&
              row.approval_decided_at !== null &&
              myVersions.some((v) => v.created_by === row.approval_decided_by && v.created_at.getTime() === row.approval_decided_at?.getTime()),
          }
        : null,
      devices: myStates.map((s) => ({
        deviceId: s.device_id,
        label: deviceLabel.get(s.device_id) ?? '',
        deliveredAt: iso(s.delivered_at),
        readAt: iso(s.read_at),
        shownVersion: s.shown_version,
        revokeOutcome: s.revoke_outcome,
      })),
    };
  });
}
