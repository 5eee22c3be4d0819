import type { AppContext } from '../app-context.ts';
import { channelRules } from '../channels/channel-rules.ts';
import { syncMessagesToDevices } from '../channels/simulator/simulator-devices.ts';
import { getChannel } from '../db/queries/channel-queries.ts';
import { insertVersion, lockMessage, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import type { MessageRow } from '../db/schema.ts';
import type { ChannelRules, Decision, MessageState } from '../domain/message-lifecycle.ts';
import { QUEUES } from '../delivery/queues.ts';
import { CommandError, notFound, nouns } from './command-error.ts';
import { inTransaction } from './unit-of-work.ts';

export interface MessageRef {
  workspaceId: string;
  messageId: string;
  actorUserId: string | null;
}

/**
 * Shared body of the commands that change one message: lock it, let the domain decide, save the
 * patch (a new version when the text changes, never an overwrite of history), record the events,
 * and pass the change on to the channel.
 */
export async function changeMessage(
  ctx: AppContext,
  ref: MessageRef,
  decide: (message: MessageState, rules: ChannelRules, now: Date) => Decision,
): Promise<MessageRow> {
  return inTransaction(ctx, async (uow) => {
    const row = await lockMessage(uow.trx, ref.workspaceId, ref.messageId);
    if (!row) throw notFound(nouns.message);
    const channel = await getChannel(uow.trx, ref.workspaceId, row.channel_id);
    if (!channel) throw notFound(nouns.channel);
    const now = ctx.clock.now();
    const decision = decide(toMessageState(row), channelRules(channel), now);
    if (!decision.ok) throw CommandError.from(decision.error);
    if (decision.events.length === 0) return row;

    const updated = await updateMessage(uow.trx, row.id, decision.patch, now);
    if (decision.patch.text !== undefined && decision.patch.version !== undefined) {
      await insertVersion(uow.trx, {
        messageId: row.id,
        workspaceId: row.workspace_id,
        version: decision.patch.version,
        text: decision.patch.text,
        at: now,
        by: ref.actorUserId,
      });
    }
    const base = {
      workspaceId: row.workspace_id,
      conversationId: row.conversation_id,
      messageId: row.id,
      actorUserId: ref.actorUserId,
      at: now,
    };
    await uow.record(decision.events.map((e) => ({ ...base, ...e })));

    const job = { workspaceId: row.workspace_id, messageId: row.id };
    if (updated.status === 'queued' && row.status !== 'queued') await uow.enqueue(QUEUES.sendMessage, job);
    if (updated.status === 'held' && row.status !== 'held' && updated.hold_until) {
      await uow.enqueue(QUEUES.releaseHold, job, { delaySeconds: (updated.hold_until.getTime() - now.getTime()) / 1000 });
    }
    // Edits and revokes of a message that left travel to the customer's devices.
    const reachesCustomer = updated.sent_at !== null && (updated.version !== row.version || updated.revoked_at !== row.revoked_at);
    if (reachesCustomer && channel.type === 'simulator') {
      await uow.record(await syncMessagesToDevices(uow.trx, channel, [updated], now));
    } else if (reachesCustomer) {
      // A real gateway is called outside the transaction, by a job that retries on failure.
      const action = updated.revoked_at !== row.revoked_at ? ('revoke' as const) : ('edit' as const);
      await uow.enqueue(QUEUES.providerAction, { ...job, action, version: updated.version });
    }
    return updated;
  });
}
