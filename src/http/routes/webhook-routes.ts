import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { TtlCache } from '../../caches/ttl-cache.ts';
import { extractEvolutionMedia, sniffEvolutionKey } from '../../channels/evolution/evolution-media.ts';
import { evolutionEnvelopeSchema, evolutionIdentity, parseEvolutionWebhook } from '../../channels/evolution/evolution-webhook-parser.ts';
import type { IgnoredEvent, ProviderEvent } from '../../channels/provider-events.ts';
import { hashVerifyToken } from '../../channels/provider-registry.ts';
import { WebhookIngestQueue } from '../../delivery/webhook-ingest-queue.ts';
import { cloudChanges, cloudEnvelopeSchema, parseCloudChange } from '../../channels/whatsapp-cloud/cloud-webhook-parser.ts';
import type { ChannelEvents } from '../../delivery/ingest-provider-events.ts';
import { findChannelByExternalId, findChannelsByVerifyTokenHash, getChannelById } from '../../db/queries/channel-queries.ts';
import { type DeliveryRecord, storeMedia } from '../../db/queries/webhook-delivery-queries.ts';
import type { ChannelRow } from '../../db/schema.ts';
import { hasIdentity } from '../../domain/contact-identity.ts';
import { NUL_REPLACEMENT, parseJsonReplacingNul } from '../../domain/safe-text.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { sendError } from '../error-handler.ts';
import { requestLanguage } from '../request-language.ts';

/** Cloud API webhook bodies are small (media comes by id); a larger one is refused (413). */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Evolution may put media inline (base64): its routes take bodies up to this (ERRATA_WEBHOOK_MEDIA_LIMIT_BYTES). */
export const DEFAULT_MEDIA_WEBHOOK_LIMIT = 25 * 1024 * 1024;
/** Of a body over the limit, the first bytes are kept: they name the message and its sender. */
const TOO_LARGE_PREFIX = 64 * 1024;
/** Past this, a body over the limit is no longer drained: the connection is closed. */
const DRAIN_CEILING = 256 * 1024 * 1024;

type EvolutionBody = { kind: 'body'; raw: Buffer } | { kind: 'too_large'; prefix: Buffer; size: number };

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
export function webhookRoutes(ctx: AppContext, metrics: Metrics, options: { mediaLimitBytes?: number | undefined } = {}) {
  const mediaLimit = options.mediaLimitBytes ?? DEFAULT_MEDIA_WEBHOOK_LIMIT;
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
      // The delivery itself is kept (exact bytes and signature) once a channel has verified it.
      const verified = [...byChannel.values()];
      const delivery: DeliveryRecord | undefined =
        verified.length > 0
          ? {
              id: crypto.randomUUID(),
              provider: 'whatsapp-cloud',
              channelIds: verified.map((b) => b.channel.id),
              receivedAt: now,
              body: raw,
              bodySize: raw.length,
              mediaExtracted: false,
              outcome: 'stored',
              headers: headersOf(request, ['x-hub-signature-256', 'content-type', 'user-agent']),
            }
          : undefined;
      const batches = verified.map((b) => ({ ...b, deliveryId: delivery?.id }));
      return ingest(reply, 'whatsapp-cloud', batches, ignored.length + unknownNumbers.length, delivery ? [delivery] : []);
    });

    // Evolution bodies may carry media: their own parser reads them as a stream, up to the media
    // limit; past it, it keeps the first bytes and tells the handler (413 and a placeholder).
    await app.register(async (evo) => {
      evo.removeAllContentTypeParsers();
      evo.addContentTypeParser('*', (_request, payload, done) => {
        readLimited(payload, mediaLimit).then(
          (body) => done(null, body),
          (error: Error) => done(error, undefined),
        );
      });
      // With "webhook by events", Evolution appends the event to the URL (`…/messages-upsert`).
      evo.post('/webhooks/evolution/:channelId/:event', { schema: { hide: true } }, (request, reply) => evolutionWebhook(request, reply));
      evo.post('/webhooks/evolution/:channelId', { schema: { hide: true } }, (request, reply) => evolutionWebhook(request, reply));
    });
  };

  async function evolutionWebhook(request: FastifyRequest, reply: FastifyReply) {
    const { channelId } = request.params as { channelId: string };
    const channel = UUID.test(channelId) ? await channelsById.get(channelId, () => getChannelById(ctx.db, channelId)) : undefined;
    if (channel?.type !== 'evolution') return sendError(reply, requestLanguage(request), 'not_found', unknownTarget);
    const body = evolutionBody(request);
    const expected = ctx.providers.secretsOf(channel).apiKey ?? '';
    const header = request.headers.apikey;
    let presented = typeof header === 'string' ? header : undefined;
    const parsed = body.kind === 'body' ? parseJson(body.raw) : ({ ok: false } as const);
    // Stock Evolution releases put the key in the body; a custom header is preferred when set. An
    // instance that hides its key sends `"apikey": null` (and must then send the header).
    if (presented === undefined && parsed.ok) {
      const bodyKey = (parsed.value as { apikey?: unknown } | null)?.apikey;
      if (typeof bodyKey === 'string') presented = bodyKey;
    }
    const authenticated = presented !== undefined && constantTimeEqual(presented, expected);
    if (body.kind === 'too_large' && !authenticated) {
      // Stock releases put the key after the data, out of reach: say what is wrong (413), record nothing.
      count('evolution', 'too_large');
      return sendError(reply, requestLanguage(request), 'payload_too_large', tooLargeMessage(mediaLimit));
    }
    if (!authenticated) {
      count('evolution', 'bad_signature');
      return sendError(reply, requestLanguage(request), 'unauthorized');
    }
    const now = ctx.clock.now();
    if (body.kind === 'too_large') return tooLarge(request, reply, channel, body, now);
    if (!parsed.ok) return badBody(request, reply, notJson);
    const envelope = evolutionEnvelopeSchema.safeParse(parsed.value);
    if (!envelope.success) return badBody(request, reply, notAnEnvelope);
    // Media out of the body first: stored once, by content; the body kept names it.
    const media = extractEvolutionMedia(envelope.data);
    if (media.length > 0) {
      await storeMedia(
        ctx.db,
        media.map((m) => ({ workspaceId: channel.workspace_id, sha256: m.sha256, mimeType: m.mimeType, bytes: m.bytes, at: now })),
      );
    }
    const { events, ignored } = parseEvolutionWebhook(envelope.data, now);
    logIgnored('evolution', ignored);
    // The body is kept as evidence, but never the instance's key (stock releases put it in the body).
    const secretInBody = typeof envelope.data.apikey === 'string';
    const kept =
      media.length > 0 || secretInBody ? Buffer.from(JSON.stringify({ ...envelope.data, ...(secretInBody ? { apikey: '[redacted]' } : {}) })) : body.raw;
    const delivery: DeliveryRecord = {
      id: crypto.randomUUID(),
      provider: 'evolution',
      channelIds: [channel.id],
      receivedAt: now,
      body: kept,
      bodySize: body.raw.length,
      mediaExtracted: media.length > 0,
      outcome: 'stored',
      headers: headersOf(request, ['content-type', 'user-agent']),
    };
    return ingest(reply, 'evolution', [{ channel, events, deliveryId: delivery.id }], ignored.length, [delivery]);
  }

  /**
   * A body over the media limit: refused with 413 (Evolution retries, then gives up), but what
   * arrived is recorded — the delivery's first bytes, and a placeholder in the customer's thread
   * when those bytes name the message, so nobody believes the customer sent nothing.
   */
  async function tooLarge(request: FastifyRequest, reply: FastifyReply, channel: ChannelRow, body: Extract<EvolutionBody, { kind: 'too_large' }>, now: Date) {
    const key = sniffEvolutionKey(body.prefix.toString('utf8').replaceAll('\u0000', NUL_REPLACEMENT));
    const identity = key ? evolutionIdentity({ remoteJid: key.remoteJid, id: key.id, remoteJidAlt: key.remoteJidAlt ?? null }) : null;
    const delivery: DeliveryRecord = {
      id: crypto.randomUUID(),
      provider: 'evolution',
      channelIds: [channel.id],
      receivedAt: now,
      body: body.prefix,
      bodySize: body.size,
      mediaExtracted: false,
      outcome: 'too_large',
      headers: headersOf(request, ['content-type', 'content-length', 'user-agent']),
    };
    const events: ProviderEvent[] =
      key && identity && !key.fromMe && !key.remoteJid.endsWith('@g.us') && hasIdentity(identity)
        ? [
            {
              kind: 'inbound',
              dedupeKey: `in:${key.id}`,
              providerMessageId: key.id,
              identity,
              profileName: key.pushName,
              contentType: 'too_large',
              content: { type: 'too_large', size: body.size, limit: mediaLimit },
              text: '',
              at: now,
              errors: [{ code: 'body_too_large', title: `the webhook body (${body.size} bytes) was over the ${mediaLimit}-byte limit` }],
              chatId: key.remoteJid,
            },
          ]
        : [];
    await queue.submit([{ channel, events, deliveryId: delivery.id }], [delivery]);
    count('evolution', 'too_large');
    ctx.log.warn({ channelId: channel.id, size: body.size, limit: mediaLimit, messageId: key?.id }, 'webhook body over the media limit: 413, placeholder recorded');
    return sendError(reply, requestLanguage(request), 'payload_too_large', tooLargeMessage(mediaLimit));
  }

  async function ingest(reply: FastifyReply, provider: string, batches: ChannelEvents[], ignored: number, deliveries: DeliveryRecord[] = []) {
    const report = await queue.submit(batches, deliveries);
    count(provider, 'stored', report.stored);
    count(provider, 'duplicate', report.duplicates);
    return reply.code(200).send({ received: true, ...report, ignored });
  }
}

const tooLargeMessage = (limit: number) => ({
  en: `The webhook body is larger than ${limit} bytes.`,
  fr: `Le corps du webhook dépasse ${limit} octets.`,
});

function headersOf(request: FastifyRequest, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (typeof value === 'string') out[name] = value.slice(0, 500);
  }
  return out;
}

function evolutionBody(request: FastifyRequest): EvolutionBody {
  const body = request.body as EvolutionBody | undefined;
  return body && typeof body === 'object' && 'kind' in body ? body : { kind: 'body', raw: Buffer.alloc(0) };
}

/** Reads a request body up to `limit` bytes; past it keeps only the first bytes and counts the rest. */
function readLimited(stream: NodeJS.ReadableStream, limit: number): Promise<EvolutionBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > limit) {
        over = true;
        const all = Buffer.concat(chunks);
        chunks.length = 0;
        chunks.push(all.subarray(0, TOO_LARGE_PREFIX));
      }
      if (!over) chunks.push(chunk);
      else if (chunks[0]!.length < TOO_LARGE_PREFIX) chunks[0] = Buffer.concat([chunks[0]!, chunk]).subarray(0, TOO_LARGE_PREFIX);
      if (size > DRAIN_CEILING) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        resolve({ kind: 'too_large', prefix: chunks[0] ?? Buffer.alloc(0), size });
      }
    });
    stream.on('end', () => resolve(over ? { kind: 'too_large', prefix: chunks[0] ?? Buffer.alloc(0), size } : { kind: 'body', raw: Buffer.concat(chunks) }));
    stream.on('error', reject);
  });
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** A NUL in a customer's text (PostgreSQL cannot store it) becomes U+FFFD: the delivery is kept, never refused. */
function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseJsonReplacingNul(raw.toString('utf8')) };
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
