import type { AppContext } from '../app-context.ts';
import { evolutionEnvelopeSchema, parseEvolutionWebhook } from '../channels/evolution/evolution-webhook-parser.ts';
import type { ProviderEvent } from '../channels/provider-events.ts';
import { cloudChanges, cloudEnvelopeSchema, parseCloudChange } from '../channels/whatsapp-cloud/cloud-webhook-parser.ts';
import { listChannelsById, type ProviderEventRecord, storeReprocessedEvents } from '../db/queries/provider-event-queries.ts';
import { listDeliveriesSince } from '../db/queries/webhook-delivery-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { parseJsonReplacingNul } from '../domain/safe-text.ts';

export interface ReprocessReport {
  deliveries: number;
  /** Facts read from them. */
  events: number;
  /** Facts stored anew (never stored before, or now read differently): applied next. */
  stored: number;
  /** Facts already stored exactly so: nothing to do. */
  unchanged: number;
  /** Deliveries whose body or channel could not be read (kept as they are). */
  unreadable: number;
}

const PAGE = 200;

/**
 * `errata webhooks reprocess --since …`: reads the stored raw webhook deliveries again with
 * today's parsers and stores what they say. Facts stored before with the same content change
 * nothing, so running it twice is running it once; facts never understood before (a kind Errata
 * did not know, a customer known only by a user id) are stored and then applied like new ones,
 * and placeholders become what they were. Each delivery is read as of when it arrived.
 */
export async function reprocessWebhooks(ctx: AppContext, options: { since: Date; channelIds?: readonly string[] }): Promise<ReprocessReport> {
  const report: ReprocessReport = { deliveries: 0, events: 0, stored: 0, unchanged: 0, unreadable: 0 };
  const channels = new Map<string, ChannelRow>();
  let afterSeq = 0;
  for (;;) {
    const page = await listDeliveriesSince(ctx.db, options.since, { afterSeq, limit: PAGE, ...(options.channelIds ? { channelIds: options.channelIds } : {}) });
    if (page.length === 0) return report;
    afterSeq = Number(page[page.length - 1]!.seq);
    const missing = [...new Set(page.flatMap((d) => d.channel_ids))].filter((id) => !channels.has(id));
    for (const c of await listChannelsById(ctx.db, missing)) channels.set(c.id, c);
    const rows: ProviderEventRecord[] = [];
    for (const delivery of page) {
      report.deliveries++;
      const read = readDelivery(delivery.provider, delivery.body, delivery.channel_ids.map((id) => channels.get(id)).filter((c): c is ChannelRow => c !== undefined), delivery.received_at);
      if (!read) {
        report.unreadable++;
        continue;
      }
      for (const { channel, events } of read) {
        for (const e of events) {
          rows.push({ workspaceId: channel.workspace_id, channelId: channel.id, dedupeKey: e.dedupeKey, kind: e.kind, at: ctx.clock.now(), payload: e, deliveryId: delivery.id });
        }
      }
    }
    report.events += rows.length;
    const stored = await storeReprocessedEvents(ctx.db, rows);
    report.stored += stored.stored;
    report.unchanged += stored.unchanged;
    if (stored.stored > 0) ctx.providerEvents.wake();
  }
}

function readDelivery(
  provider: string,
  body: Uint8Array | null,
  channels: readonly ChannelRow[],
  receivedAt: Date,
): { channel: ChannelRow; events: ProviderEvent[] }[] | null {
  if (!body || channels.length === 0) return null;
  let json: unknown;
  try {
    // As on arrival: a NUL in a customer's text becomes U+FFFD.
    json = parseJsonReplacingNul(Buffer.from(body).toString('utf8'));
  } catch {
    return null;
  }
  if (provider === 'evolution') {
    const envelope = evolutionEnvelopeSchema.safeParse(json);
    if (!envelope.success) return null;
    return [{ channel: channels[0]!, events: parseEvolutionWebhook(envelope.data, receivedAt).events }];
  }
  const envelope = cloudEnvelopeSchema.safeParse(json);
  if (!envelope.success) return null;
  const byNumber = new Map(channels.filter((c) => c.external_id).map((c) => [c.external_id!, c]));
  const out = new Map<string, { channel: ChannelRow; events: ProviderEvent[] }>();
  for (const change of cloudChanges(envelope.data).changes) {
    // Only the channels that verified this delivery's signature when it arrived.
    const channel = byNumber.get(change.phoneNumberId);
    if (!channel) continue;
    const entry = out.get(channel.id) ?? { channel, events: [] };
    entry.events.push(...parseCloudChange(change, receivedAt).events);
    out.set(channel.id, entry);
  }
  return [...out.values()];
}
