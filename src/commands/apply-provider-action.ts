import type { AppContext } from '../app-context.ts';
import { providerErrorData } from '../contracts/provider-errors.ts';
import { getChannel } from '../db/queries/channel-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { getMessage, systemEvent } from '../db/queries/message-queries.ts';
import { inTransaction } from './unit-of-work.ts';

export type ActionOutcome = { done: true } | { done: false; retry: true; error: string };

/**
 * Passes a delete for everyone or an edit on to the provider (Evolution). The gateway's answer
 * is only "request sent": the record says `revoke_requested` / `edit_requested`, never "applied",
 * and the revoke outcome stays `unknown`. A refusal is recorded with its neutral code, so the
 * agent knows the customer still sees the message; transient failures are retried by the job.
 */
export async function applyProviderAction(
  ctx: AppContext,
  job: { workspaceId: string; messageId: string; action?: 'revoke' | 'edit' | undefined; version?: number | undefined },
): Promise<ActionOutcome> {
  const message = await getMessage(ctx.db, job.workspaceId, job.messageId);
  if (!message?.provider_message_id || !job.action) return { done: true };
  const channel = await getChannel(ctx.db, job.workspaceId, message.channel_id);
  const contact = await getContact(ctx.db, job.workspaceId, message.contact_id);
  if (!channel || !contact || channel.type === 'simulator') return { done: true };
  // An edit overtaken by a newer one, or by a delete: only the latest state is worth sending.
  if (job.action === 'edit' && (message.version !== job.version || message.revoked_at)) return { done: true };

  const provider = ctx.providers.providerFor(channel);
  const ref = { providerMessageId: message.provider_message_id, chatId: message.provider_chat_id, to: contact.phone };
  const call = job.action === 'revoke' ? provider.revoke : provider.edit;
  if (!call) return { done: true };
  const result = job.action === 'revoke' ? await provider.revoke!(ref) : await provider.edit!(ref, message.text);
  if (!result.ok && result.error.retryable) return { done: false, retry: true, error: result.error.code };

  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const type = result.ok ? `message.${job.action}_requested` : `message.${job.action}_refused`;
    const data: Record<string, unknown> = result.ok
      ? { requestId: result.value.requestId, ...(job.version ? { version: job.version } : {}) }
      : providerErrorData(result.error);
    if (!result.ok) {
      const entry = { action: job.action, ...providerErrorData(result.error), at: now.toISOString() };
      await uow.trx
        .updateTable('messages')
        .set({ provider_errors: JSON.stringify([...(message.provider_errors ?? []), entry].slice(-20)) })
        .where('id', '=', message.id)
        .execute();
    }
    await uow.record([systemEvent(message, type, data, now)]);
  });
  return { done: true };
}
