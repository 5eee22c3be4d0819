import type { AppContext } from '../app-context.ts';
import { syncMessagesToDevices } from '../channels/simulator/simulator-devices.ts';
import {
  type EventRecord,
  lockMessagesById,
  markDispatched,
  toMessageState,
  updateMessage,
} from '../db/queries/message-queries.ts';
import type { MessageRow } from '../db/schema.ts';
import { decideDelivered, decideFailed, decideSent, type LifecycleEvent } from '../domain/message-lifecycle.ts';
import { inTransaction } from '../commands/unit-of-work.ts';

const SIMULATOR_PREFIX = 'sim-';

/**
 * Hands queued messages to their channel. On the simulator the channel is in our database, so
 * sending and delivering to the customer's online devices happen in one transaction for a whole
 * batch, in a constant number of statements. Messages no longer queued (cancelled, or sent by an
 * earlier attempt) are skipped, which makes a repeated job harmless. Messages of real channels
 * are only announced to their channel's sender (src/delivery/provider-sender.ts).
 */
export async function dispatchMessages(ctx: AppContext, workspaceId: string, messageIds: readonly string[]): Promise<void> {
  const realChannels = new Set<string>();
  // From the process's channel cache (read before the transaction: on PGlite a read through ctx.db
  // inside it would wait for the transaction's own lock); it was a query per dispatch.
  const channels = new Map((await ctx.channels.list(ctx.db, workspaceId)).map((c) => [c.id, c]));
  await inTransaction(ctx, async (uow) => {
    const rows = await lockMessagesById(uow.trx, messageIds);
    const queued = rows.filter((r) => r.workspace_id === workspaceId && r.status === 'queued');
    if (queued.length === 0) return;
    const now = ctx.clock.now();
    const events: EventRecord[] = [];
    const record = (row: MessageRow, list: readonly LifecycleEvent[]) => {
      for (const e of list) {
        events.push({ ...e, workspaceId, conversationId: row.conversation_id, messageId: row.id, actorUserId: null, at: now });
      }
    };

    const sentByChannel = new Map<string, MessageRow[]>();
    for (const row of queued) {
      const channel = channels.get(row.channel_id);
      if (!channel) {
        const failed = decideFailed(toMessageState(row), now, 'channel_unavailable');
        if (failed.ok) {
          await updateMessage(uow.trx, row.id, failed.patch, now);
          record(row, failed.events);
        }
        continue;
      }
      if (channel.type !== 'simulator') {
        // A real provider is called outside any transaction, by the channel's sender lane.
        realChannels.add(channel.id);
        continue;
      }
      const sent = decideSent(toMessageState(row), now, `${SIMULATOR_PREFIX}${row.id}`);
      if (!sent.ok || sent.events.length === 0) continue;
      record(row, sent.events);
      const list = sentByChannel.get(channel.id) ?? [];
      list.push({ ...row, status: 'sent', sent_at: now, sent_version: row.version });
      sentByChannel.set(channel.id, list);
    }

    const delivered: string[] = [];
    const sentOnly: string[] = [];
    for (const [channelId, sentRows] of sentByChannel) {
      const deviceEvents = await syncMessagesToDevices(uow.trx, channels.get(channelId)!, sentRows, now);
      events.push(...deviceEvents);
      const reached = new Set(deviceEvents.filter((e) => e.type === 'device.delivered').map((e) => e.messageId));
      for (const row of sentRows) {
        const decision = reached.has(row.id) ? decideDelivered(toMessageState(row), now) : null;
        if (decision?.ok && decision.events.length > 0) {
          record(row, decision.events);
          delivered.push(row.id);
        } else {
          sentOnly.push(row.id);
        }
      }
    }
    await markDispatched(uow.trx, delivered, { now, delivered: true, providerPrefix: SIMULATOR_PREFIX });
    await markDispatched(uow.trx, sentOnly, { now, delivered: false, providerPrefix: SIMULATOR_PREFIX });
    await uow.record(events);
  });
  for (const channelId of realChannels) ctx.sender.wake(channelId);
}
