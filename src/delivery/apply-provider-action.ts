import type { AppContext } from '../app-context.ts';
import { providerErrorData } from '../contracts/provider-errors.ts';
import { getChannel } from '../db/queries/channel-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { getMessage, systemEvent } from '../db/queries/message-queries.ts';
import { decideRetry } from '../domain/send-retry.ts';
import { type JobData, QUEUES } from './queues.ts';
import { inTransaction } from '../commands/unit-of-work.ts';

/**
 * Passes a delete for everyone or an edit on to the provider (Evolution). The gateway's answer
 * is only "request sent": the record says `revoke_requested` / `edit_requested`, never "applied",
 * and the revoke outcome stays `unknown`. A refusal is recorded with its neutral code, so the
 * agent knows the customer still sees the message. A transient failure is tried again on the
 * sends' schedule (backoff, never before the gateway's Retry-After), as a new job that carries
 * the attempt number; once the attempts are spent it is recorded as a refusal too: the agent is
 * never left believing a delete went out when the gateway was down the whole time.
 */
/** A thrown error (not a provider's answer) leaves the job to pg-boss's own retries. */
export async function applyProviderAction(ctx: AppContext, job: JobData, jitter = Math.random()): Promise<void> {
  if (job.notBefore) {
    const due = new Date(job.notBefore);
    const early = (due.getTime() - ctx.clock.now().getTime()) / 1000;
    if (early > 0) {
      await inTransaction(ctx, (uow) => uow.enqueue(QUEUES.providerAction, job, { delaySeconds: early }));
      return;
    }
  }
  const message = await getMessage(ctx.db, job.workspaceId, job.messageId);
  if (!message?.provider_message_id || !job.action) return;
  const channel = await getChannel(ctx.db, job.workspaceId, message.channel_id);
  const contact = await getContact(ctx.db, job.workspaceId, message.contact_id);
  if (!channel || !contact || channel.type === 'simulator') return;
  // An edit overtaken by a newer one, or by a delete: only the latest state is worth sending.
  if (job.action === 'edit' && (message.version !== job.version || message.revoked_at)) return;

  const provider = ctx.providers.providerFor(channel);
  const ref = { providerMessageId: message.provider_message_id, chatId: message.provider_chat_id, to: contact.phone ?? '' };
  const call = job.action === 'revoke' ? provider.revoke : provider.edit;
  if (!call) return;
  const result = job.action === 'revoke' ? await provider.revoke!(ref) : await provider.edit!(ref, message.text);
  const attempt = job.attempt ?? 1;
  if (!result.ok && result.error.retryable) {
    const now = ctx.clock.now();
    const decision = decideRetry({ attempt, retryable: true, retryAfterSeconds: result.error.retryAfterSeconds }, now, jitter);
    if (decision.retry) {
      const retry = { ...job, attempt: attempt + 1, notBefore: decision.at.toISOString() };
      await inTransaction(ctx, (uow) => uow.enqueue(QUEUES.providerAction, retry, { delaySeconds: decision.delaySeconds }));
      ctx.log.info({ messageId: message.id, action: job.action, code: result.error.code, attempt, retryAt: decision.at }, 'gateway action will be retried');
      return;
    }
  }

  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const type = result.ok ? `message.${job.action}_requested` : `message.${job.action}_refused`;
    const data: Record<string, unknown> = result.ok
      ? { requestId: result.value.requestId, ...(job.version ? { version: job.version } : {}) }
      : providerErrorData(result.error);
    if (!result.ok) {
      const entry = { action: job.action, ...providerErrorData(result.error), attempts: attempt, at: now.toISOString() };
      await uow.trx
        .updateTable('messages')
        .set({ provider_errors: JSON.stringify([...(message.provider_errors ?? []), entry].slice(-20)) })
        .where('id', '=', message.id)
        .execute();
    }
    await uow.record([systemEvent(message, type, data, now)]);
  });
}
