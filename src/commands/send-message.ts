import type { AppContext } from '../app-context.ts';
import { getChannel, getDefaultChannel } from '../db/queries/channel-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { ensureConversation, touchConversation } from '../db/queries/conversation-queries.ts';
import { findMessageByIdempotencyKey, insertMessage, insertVersion } from '../db/queries/message-queries.ts';
import type { MessageRow } from '../db/schema.ts';
import { type Actor, canWrite } from '../domain/actor.ts';
import { planNewMessage } from '../domain/message-lifecycle.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { CommandError, notFound, nouns } from './command-error.ts';
import { inTransaction } from './unit-of-work.ts';

export interface SendMessageInput {
  workspaceId: string;
  actor: Actor;
  contactId: string;
  text: string;
  channelId?: string | undefined;
  holdSeconds?: number | undefined;
  idempotencyKey?: string | undefined;
}

/**
 * Accepts an outgoing message: durable (message, first version, events, job) before the caller
 * hears "accepted". A repeated idempotency key answers with the message it created first.
 */
export async function sendMessage(ctx: AppContext, input: SendMessageInput): Promise<{ message: MessageRow; created: boolean }> {
  if (!canWrite(input.actor)) throw new CommandError('forbidden');
  if (input.idempotencyKey) {
    const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
    if (existing) return { message: existing, created: false };
  }
  const [contact, channel] = await Promise.all([
    getContact(ctx.db, input.workspaceId, input.contactId),
    input.channelId ? getChannel(ctx.db, input.workspaceId, input.channelId) : getDefaultChannel(ctx.db, input.workspaceId),
  ]);
  if (!contact) throw notFound(nouns.contact);
  if (!channel) throw notFound(nouns.channel);

  try {
    const message = await inTransaction(ctx, async (uow) => {
      const now = ctx.clock.now();
      const plan = planNewMessage(now, input.holdSeconds ?? channel.default_hold_seconds);
      const conversationId = await ensureConversation(uow.trx, {
        id: crypto.randomUUID(),
        workspaceId: input.workspaceId,
        contactId: contact.id,
        channelId: channel.id,
        now,
      });
      const row = await insertMessage(uow.trx, {
        id: crypto.randomUUID(),
        workspace_id: input.workspaceId,
        conversation_id: conversationId,
        channel_id: channel.id,
        contact_id: contact.id,
        direction: 'out',
        author_user_id: input.actor.userId,
        status: plan.status,
        text: input.text,
        version: 1,
        hold_until: plan.holdUntil,
        queued_at: plan.queuedAt,
        idempotency_key: input.idempotencyKey ?? null,
        read_before_revoke: false,
        send_attempts: 0,
        created_at: now,
        updated_at: now,
      });
      await insertVersion(uow.trx, {
        messageId: row.id,
        workspaceId: input.workspaceId,
        version: 1,
        text: input.text,
        at: now,
        by: input.actor.userId,
      });
      await touchConversation(uow.trx, conversationId, { at: now, text: input.text, incoming: false });
      const base = { workspaceId: input.workspaceId, conversationId, messageId: row.id, actorUserId: input.actor.userId, at: now };
      await uow.record([
        { ...base, type: 'message.created', data: { channelId: channel.id, contactId: contact.id } },
        ...plan.events.map((e) => ({ ...base, ...e })),
      ]);
      const job = { workspaceId: input.workspaceId, messageId: row.id };
      if (plan.status === 'held' && plan.holdUntil) {
        await uow.enqueue(QUEUES.releaseHold, job, { delaySeconds: (plan.holdUntil.getTime() - now.getTime()) / 1000 });
      } else {
        await uow.enqueue(QUEUES.sendMessage, job);
      }
      return row;
    });
    return { message, created: true };
  } catch (error) {
    // Two requests with one key raced: the loser answers with the winner's message.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
      if (existing) return { message: existing, created: false };
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
