import type { AppContext } from '../app-context.ts';
import type { ProviderResult, SentRef } from '../channels/provider-channel.ts';
import { providerErrorData } from '../contracts/provider-errors.ts';
import { type EventRecord, lockMessagesById, systemEvent, toMessageState, updateMessage } from '../db/queries/message-queries.ts';
import {
  type ClaimedMessage,
  claimDueMessages,
  clearLease,
  clearLeases,
  markSentByProvider,
  scheduleRetry,
} from '../db/queries/outbox-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { decideFailed, decideSent } from '../domain/message-lifecycle.ts';
import { decideRetry, defaultRetryPolicy, type RetryPolicy } from '../domain/send-retry.ts';
import { serviceWindow } from '../domain/service-window.ts';
import { QUEUES } from './queues.ts';
import { inTransaction } from '../commands/unit-of-work.ts';

export interface SendSettings {
  leaseSeconds: number;
  retry: RetryPolicy;
}

export const defaultSendSettings: SendSettings = { leaseSeconds: 60, retry: defaultRetryPolicy };


/**
 * Step one of a send: claim due messages for an attempt each, recorded (`message.send_attempt`)
 * before any provider is called. Free text whose 24-hour window closed while it waited (a long
 * hold, an approval) fails here with `outside_service_window` instead of being sent.
 */
export async function claimSends(ctx: AppContext, channel: ChannelRow, limit: number, settings: SendSettings): Promise<ClaimedMessage[]> {
  const now = ctx.clock.now();
  const claimed = await inTransaction(ctx, async (uow) => {
    const rows = await claimDueMessages(uow.trx, {
      channelId: channel.id,
      limit,
      now,
      leaseUntil: new Date(now.getTime() + settings.leaseSeconds * 1000),
    });
    if (rows.length === 0) return [];
    const events: EventRecord[] = [];
    const ready: ClaimedMessage[] = [];
    for (const claim of rows) {
      if (channel.type === 'whatsapp-cloud' && claim.row.content_type !== 'template') {
        const window = serviceWindow(claim.customerLastMessageAt, now);
        if (!window.open) {
          const failed = decideFailed(toMessageState(claim.row), now, 'outside_service_window');
          if (failed.ok) {
            await updateMessage(uow.trx, claim.row.id, failed.patch, now);
            await clearLease(uow.trx, claim.row.id, {});
            events.push(...failed.events.map((e) => systemEvent(claim.row, e.type, e.data, now)));
          }
          continue;
        }
      }
      events.push(systemEvent(claim.row, 'message.send_attempt', { attempt: claim.attempt, channelId: channel.id }, now));
      ready.push(claim);
    }
    await uow.record(events);
    return ready;
  });
  return claimed;
}

export interface SendResult {
  claim: ClaimedMessage;
  result: ProviderResult<SentRef>;
}

/**
 * Step two: what the provider answered, for a batch of attempts, in one transaction. Accepted →
 * `sent` with the provider's id; a transient failure → next attempt scheduled (backoff, never
 * before the provider's Retry-After) and a job to wake the sender then; a permanent failure, or
 * retries exhausted → `failed` with the neutral code, the provider's own words kept.
 */
export async function recordSendResults(ctx: AppContext, results: readonly SendResult[], settings: SendSettings): Promise<void> {
  if (results.length === 0) return;
  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    const rows = new Map((await lockMessagesById(uow.trx, results.map((r) => r.claim.row.id))).map((r) => [r.id, r]));
    const events: EventRecord[] = [];
    const sent: { id: string; providerMessageId: string; chatId: string | null }[] = [];
    const alreadyMoved: string[] = [];
    const chatIds = new Map<string, string | null>();
    for (const { claim, result } of results) {
      const row = rows.get(claim.row.id);
      if (!row) continue;
      if (result.ok) {
        const decision = decideSent(toMessageState(row), now, result.value.providerMessageId);
        if (decision.ok && decision.events.length > 0) {
          // decideSent's patch is the same for every row (status, times, provider id): one statement for the batch.
          sent.push({ id: row.id, providerMessageId: result.value.providerMessageId, chatId: result.value.chatId ?? null });
          events.push(...decision.events.map((e) => systemEvent(row, e.type, { ...e.data, attempt: claim.attempt }, now)));
        } else {
          alreadyMoved.push(row.id);
          chatIds.set(row.id, result.value.chatId ?? null);
        }
        continue;
      }
      const error = result.error;
      const decision = decideRetry(
        { attempt: claim.attempt, retryable: error.retryable, retryAfterSeconds: error.retryAfterSeconds },
        now,
        Math.random(),
        settings.retry,
      );
      if (decision.retry && row.status === 'queued') {
        await scheduleRetry(uow.trx, row.id, { now, at: decision.at, error: error.code });
        events.push(systemEvent(row, 'message.send_retry', { attempt: claim.attempt, ...providerErrorData(error), nextAttemptAt: decision.at.toISOString() }, now));
        await uow.enqueue(QUEUES.sendMessage, { workspaceId: row.workspace_id, messageId: row.id }, { delaySeconds: decision.delaySeconds });
        continue;
      }
      const failed = decideFailed(toMessageState(row), now, error.code, error.providerMessage);
      if (failed.ok && failed.events.length > 0) {
        await updateMessage(uow.trx, row.id, failed.patch, now);
        events.push(...failed.events.map((e) => systemEvent(row, e.type, { ...e.data, attempt: claim.attempt, ...providerErrorData(error) }, now)));
      }
      await clearLease(uow.trx, row.id, { lastSendError: error.code });
    }
    await markSentByProvider(uow.trx, sent, now);
    await clearLeases(uow.trx, alreadyMoved, chatIds);
    await uow.record(events);
  });
}
