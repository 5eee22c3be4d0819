import type { AppContext } from '../app-context.ts';
import { acceptOutgoingMessage } from '../db/queries/accept-message-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { findMessageByIdempotencyKey } from '../db/queries/message-queries.ts';
import type { ChannelRow, MessageRow } from '../db/schema.ts';
import { type Actor, canWrite } from '../domain/actor.ts';
import { planNewMessage } from '../domain/message-lifecycle.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

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
export async function sendMessage(
  ctx: AppContext,
  input: SendMessageInput,
): Promise<{ message: MessageRow; created: boolean; channel?: ChannelRow }> {
  if (!canWrite(input.actor)) throw new CommandError('forbidden');
  if (input.idempotencyKey) {
    const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
    if (existing) return { message: existing, created: false };
  }
  const channel = await ctx.channels.pick(ctx.db, input.workspaceId, input.channelId);
  if (!channel) throw notFound(nouns.channel);

  const now = ctx.clock.now();
  const plan = planNewMessage(now, input.holdSeconds ?? channel.default_hold_seconds);
  const held = plan.status === 'held' && plan.holdUntil;
  let message: MessageRow | undefined;
  try {
    message = await acceptOutgoingMessage(ctx.db, {
      id: crypto.randomUUID(),
      newConversationId: crypto.randomUUID(),
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      channelId: channel.id,
      authorUserId: input.actor.userId,
      text: input.text,
      status: plan.status,
      holdUntil: plan.holdUntil,
      queuedAt: plan.queuedAt,
      idempotencyKey: input.idempotencyKey ?? null,
      now,
      events: [{ type: 'message.created', data: { channelId: channel.id, contactId: input.contactId } }, ...plan.events],
      job: {
        table: ctx.jobs.jobTable,
        queue: held ? QUEUES.releaseHold : QUEUES.sendMessage,
        delaySeconds: held && plan.holdUntil ? (plan.holdUntil.getTime() - now.getTime()) / 1000 : 0,
        retryLimit: ctx.jobs.retry.limit,
        retryDelaySeconds: ctx.jobs.retry.delaySeconds,
      },
    });
  } catch (error) {
    // Two requests with one key raced: the loser answers with the winner's message.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
      if (existing) return { message: existing, created: false };
    }
    throw error;
  }
  if (!message) {
    // Nothing was written: the contact is not in this workspace.
    const contact = await getContact(ctx.db, input.workspaceId, input.contactId);
    throw contact ? new CommandError('conflict') : notFound(nouns.contact);
  }
  ctx.bus.publish(
    ['message.created', ...plan.events.map((e) => e.type)].map((type) => ({
      type,
      workspaceId: input.workspaceId,
      conversationId: message.conversation_id,
      messageId: message.id,
      at: now.toISOString(),
    })),
  );
  if (!held) ctx.jobs.wake(QUEUES.sendMessage);
  return { message, created: true, channel };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
