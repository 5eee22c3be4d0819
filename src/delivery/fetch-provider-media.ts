import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { providerErrorData } from '../contracts/provider-errors.ts';
import { getChannel } from '../db/queries/channel-queries.ts';
import { getMessage, systemEvent } from '../db/queries/message-queries.ts';
import { setMessageContent } from '../db/queries/provider-event-queries.ts';
import { storeMedia } from '../db/queries/webhook-delivery-queries.ts';
import { isMediaType } from '../domain/inbound-content.ts';
import { decideRetry } from '../domain/send-retry.ts';
import { type JobData, QUEUES } from './queues.ts';
import { inTransaction } from '../commands/unit-of-work.ts';

/** What a media message's content says about its bytes (`content.stored` once Errata has them). */
interface MediaContent {
  type: string;
  mediaId?: string;
  sha256?: string;
  mimeType?: string;
  stored?: { sha256: string; size: number };
  fetchFailed?: { code: string; at: string; attempts: number };
  /** Set while the download is still to be done. */
  fetching?: boolean;
}

/**
 * Downloads the media of a message the provider keeps by id (Cloud API), checks it against the
 * SHA-256 the webhook announced, and stores it like inline media: the thread then shows it and
 * `GET /messages/:id/media` serves it. Runs as a job, never on the webhook's acknowledge path.
 * A failure that may pass (network, 5xx, an expired URL, a corrupted download) is tried again on
 * the sends' schedule; once it cannot succeed, or the attempts are spent, the message keeps its
 * place and says so (`content.fetchFailed`): the message itself is never lost.
 */
export async function fetchProviderMedia(ctx: AppContext, job: JobData, jitter = Math.random()): Promise<void> {
  if (job.notBefore) {
    const early = (new Date(job.notBefore).getTime() - ctx.clock.now().getTime()) / 1000;
    if (early > 0) {
      await inTransaction(ctx, (uow) => uow.enqueue(QUEUES.fetchMedia, job, { delaySeconds: early }));
      return;
    }
  }
  const message = await getMessage(ctx.db, job.workspaceId, job.messageId);
  const content = message?.content as MediaContent | null | undefined;
  if (!message || !content || !isMediaType(content.type) || !content.mediaId || content.stored) return;
  const channel = await getChannel(ctx.db, job.workspaceId, message.channel_id);
  if (!channel || channel.type === 'simulator') return;
  const provider = ctx.providers.providerFor(channel);
  if (!provider.fetchMedia) return;

  const attempt = job.attempt ?? 1;
  const result = await provider.fetchMedia(content.mediaId, content.sha256 ?? null);
  if (!result.ok && result.error.retryable) {
    const now = ctx.clock.now();
    const decision = decideRetry({ attempt, retryable: true, retryAfterSeconds: result.error.retryAfterSeconds }, now, jitter);
    if (decision.retry) {
      const retry = { ...job, attempt: attempt + 1, notBefore: decision.at.toISOString() };
      await inTransaction(ctx, (uow) => uow.enqueue(QUEUES.fetchMedia, retry, { delaySeconds: decision.delaySeconds }));
      ctx.log.info({ messageId: message.id, code: result.error.code, attempt, retryAt: decision.at }, 'media download will be retried');
      return;
    }
  }

  await inTransaction(ctx, async (uow) => {
    const now = ctx.clock.now();
    // Another job may have finished first (a duplicate webhook): the first result stands.
    const locked = await uow.trx.selectFrom('messages').select('content').where('id', '=', message.id).forUpdate().executeTakeFirst();
    const current = locked?.content as MediaContent | null | undefined;
    if (!current || current.stored) return;
    if (result.ok) {
      const sha256 = createHash('sha256').update(result.value.bytes).digest('hex');
      const mimeType = current.mimeType ?? result.value.mimeType;
      await storeMedia(uow.trx, [{ workspaceId: message.workspace_id, sha256, mimeType, bytes: result.value.bytes, at: now }]);
      const { fetchFailed: _, fetching: __, ...rest } = current;
      await setMessageContent(uow.trx, message.id, { ...rest, stored: { sha256, size: result.value.bytes.length } });
      await uow.record([systemEvent(message, 'message.media_fetched', { sha256, size: result.value.bytes.length, attempts: attempt }, now)]);
      return;
    }
    const fetchFailed = { code: result.error.code, at: now.toISOString(), attempts: attempt };
    const { fetching: _, ...rest } = current;
    await setMessageContent(uow.trx, message.id, { ...rest, fetchFailed });
    await uow.record([systemEvent(message, 'message.media_fetch_failed', { ...providerErrorData(result.error), attempts: attempt }, now)]);
  });
}
