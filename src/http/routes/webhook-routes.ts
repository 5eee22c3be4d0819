import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { TtlCache } from '../../caches/ttl-cache.ts';
import { evolutionEnvelopeSchema, parseEvolutionWebhook } from '../../channels/evolution/evolution-webhook-parser.ts';
import type { IgnoredEvent, ProviderEvent } from '../../channels/provider-events.ts';
import { hashVerifyToken } from '../../channels/provider-registry.ts';
import { WebhookIngestQueue } from '../../channels/webhook-ingest-queue.ts';
import { cloudChanges, cloudEnvelopeSchema, parseCloudChange } from '../../channels/whatsapp-cloud/cloud-webhook-parser.ts';
import type { ChannelEvents } from '../../commands/ingest-provider-events.ts';
import { findChannelByExternalId, findChannelsByVerifyTokenHash, getChannelById } from '../../db/queries/channel-queries.ts';
import type { ChannelRow } from '../../db/schema.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { sendError } from '../error-handler.ts';
import { requestLanguage } from '../request-language.ts';

/** Webhook bodies are small; a larger one is refused (413) before it is read to the end. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const verifyQuery = z.object({
  'hub.mode': z.string().max(50).optional(),
  'hub.verify_token': z.string().max(2_000).optional(),
  'hub.challenge': z.string().max(200).optional(),
});
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const unknownTarget = {
  en: 'No channel listens here.',
  fr: 'Aucun canal n’écoute ici.',
};
const notJson = { en: 'The webhook body is not valid JSON.', fr: 'Le corps du webhook n’est pas un JSON valide.' };
const notAnEnvelope = {
  en: 'The webhook body does not have the provider’s envelope.',
  fr: 'Le corps du webhook n’a pas l’enveloppe attendue du fournisseur.',
};

/**
 * Provider webhooks. No bearer token here: the Cloud API proves itself with an HMAC of the raw
 * body (X-Hub-Signature-256, app secret), Evolution with the channel's API key. Nothing is
 * parsed before the signature header is there, nothing is stored unless it verifies, and the
 * 200 is sent only once the facts are committed.
 */
export function webhookRoutes(ctx: AppContext, metrics: Metrics) {
  const queue = new WebhookIngestQueue(ctx, () => ctx.providerEvents.wake());
  const cloudChannels = new TtlCache<string, ChannelRow | undefined>(5_000);
  const channelsById = new TtlCache<string, ChannelRow | undefined>(5_000);
  const count = (provider: string, outcome: string, n = 1) => {
    if (n > 0) metrics.webhookEvents.labels(provider, outcome).inc(n);
  };
  const logIgnored = (provider: string, ignored: readonly IgnoredEvent[]) => {
    for (const item of ignored) ctx.log.info({ provider, ...item }, 'webhook event ignored');
    count(provider, 'ignored', ignored.length);
  };

  return async (app: FastifyInstance) => {
    // The signature is over the exact bytes: keep them, parse ourselves.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.get('/webhooks/whatsapp', { schema: { hide: true } }, async (request, reply) => {
      const query = verifyQuery.safeParse(request.query);
      const q = query.success ? query.data : {};
      if (q['hub.mode'] !== 'subscribe' || !q['hub.verify_token'] || q['hub.challenge'] === undefined) {
        return sendError(reply, requestLanguage(request), 'forbidden');
      }
      const channels = await findChannelsByVerifyTokenHash(ctx.db, hashVerifyToken(q['hub.verify_token']));
      if (channels.length === 0) return sendError(reply, requestLanguage(request), 'forbidden');
      return reply.code(200).type('text/plain; charset=utf-8').send(q['hub.challenge']);
    });

    app.post('/webhooks/whatsapp', { schema: { hide: true } }, async (request, reply) => {
      const raw = rawBody(request);
      const signature = SIGNATURE.exec(String(request.headers['x-hub-signature-256'] ?? ''));
      if (!signature) {
        count('whatsapp-cloud', 'bad_signature');
        return sendError(reply, requestLanguage(request), 'webhook_signature_invalid');
      }
      const parsed = parseJson(raw);
      if (!parsed.ok) return badBody(request, reply, notJson);
      const envelope = cloudEnvelopeSchema.safeParse(parsed.value);
      if (!envelope.success) return badBody(request, reply, notAnEnvelope);

      const { changes, ignored } = cloudChanges(envelope.data);
      const now = ctx.clock.now();
      const byChannel = new Map<string, { channel: ChannelRow; events: ProviderEvent[] }>();
      const unknownNumbers: string[] = [];
      for (const change of changes) {
        const channel = await cloudChannels.get(change.phoneNumberId, () =>
          findChannelByExternalId(ctx.db, 'whatsapp-cloud', change.phoneNumberId),
        );
        if (!channel) {
          unknownNumbers.push(change.phoneNumberId);
          continue;
        }
        const result = parseCloudChange(change, now);
        ignored.push(...result.ignored);
        const entry = byChannel.get(channel.id) ?? { channel, events: [] };
        entry.events.push(...result.events);
        byChannel.set(channel.id, entry);
      }
      // Every channel the delivery touches must have signed it (one app secret each).
      for (const { channel } of byChannel.values()) {
        const secret = ctx.providers.secretsOf(channel).appSecret ?? '';
        if (!signatureMatches(secret, raw, signature[1]!)) {
          count('whatsapp-cloud', 'bad_signature');
          return sendError(reply, requestLanguage(request), 'webhook_signature_invalid');
        }
      }
      if (unknownNumbers.length > 0) {
        // Meta retries anything but a 200 for days: a number we do not (or no longer) serve is ignored.
        ctx.log.warn({ phoneNumberIds: unknownNumbers }, 'webhook for a phone number id no channel uses: ignored');
        count('whatsapp-cloud', 'unknown_number', unknownNumbers.length);
      }
      logIgnored('whatsapp-cloud', ignored);
      return ingest(reply, 'whatsapp-cloud', [...byChannel.values()], ignored.length + unknownNumbers.length);
    });

    // With "webhook by events", Evolution appends the event to the URL (`…/messages-upsert`).
    app.post('/webhooks/evolution/:channelId/:event', { schema: { hide: true } }, (request, reply) => evolutionWebhook(request, reply));
    app.post('/webhooks/evolution/:channelId', { schema: { hide: true } }, (request, reply) => evolutionWebhook(request, reply));
  };

  async function evolutionWebhook(request: FastifyRequest, reply: FastifyReply) {
    const { channelId } = request.params as { channelId: string };
    const channel = UUID.test(channelId) ? await channelsById.get(channelId, () => getChannelById(ctx.db, channelId)) : undefined;
    if (channel?.type !== 'evolution') return sendError(reply, requestLanguage(request), 'not_found', unknownTarget);
    const raw = rawBody(request);
    const expected = ctx.providers.secretsOf(channel).apiKey ?? '';
    const header = request.headers.apikey;
    let presented = typeof header === 'string' ? header : undefined;
    const parsed = parseJson(raw);
    // Stock Evolution releases put the key in the body; a custom header is preferred when set.
    if (presented === undefined && parsed.ok) {
      const bodyKey = (parsed.value as { apikey?: unknown } | null)?.apikey;
      if (typeof bodyKey === 'string') presented = bodyKey;
    }
    if (presented === undefined || !constantTimeEqual(presented, expected)) {
      count('evolution', 'bad_signature');
      return sendError(reply, requestLanguage(request), 'unauthorized');
    }
    if (!parsed.ok) return badBody(request, reply, notJson);
    const envelope = evolutionEnvelopeSchema.safeParse(parsed.value);
    if (!envelope.success) return badBody(request, reply, notAnEnvelope);
    const { events, ignored } = parseEvolutionWebhook(envelope.data, ctx.clock.now());
    logIgnored('evolution', ignored);
    return ingest(reply, 'evolution', [{ channel, events }], ignored.length);
  }

  async function ingest(reply: FastifyReply, provider: string, batches: ChannelEvents[], ignored: number) {
    const report = await queue.submit(batches);
    count(provider, 'stored', report.stored);
    count(provider, 'duplicate', report.duplicates);
    return reply.code(200).send({ received: true, ...report, ignored });
  }
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function badBody(request: FastifyRequest, reply: FastifyReply, message: { en: string; fr: string }) {
  return sendError(reply, requestLanguage(request), 'validation_failed', message);
}

function signatureMatches(appSecret: string, raw: Buffer, hex: string): boolean {
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = createHmac('sha256', 'errata-compare').update(a).digest();
  const y = createHmac('sha256', 'errata-compare').update(b).digest();
  return timingSafeEqual(x, y) && b.length > 0;
}
