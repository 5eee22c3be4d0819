import type { Clock } from '../clock.ts';
import type { RealtimeEvent } from '../contracts/realtime.ts';
import type { Db, Tx } from '../db/database.ts';
import { NOTIFY_CHANNELS, NOTIFY_PAYLOAD_LIMIT, type PgNotifications } from '../db/notifications.ts';
import type { Logger } from 'pino';
import { EventBus } from './event-bus.ts';

/** Sent to every subscriber when this process may have missed events: refetch what you show. */
export const RESYNC_EVENT_TYPE = 'stream.resync';

/**
 * Realtime across several processes on one PostgreSQL: each committed change is delivered to this
 * process's subscribers at once and relayed to the others through NOTIFY. The payload is what the
 * event already is — a kind and ids (workspace, conversation, message), never content — packed
 * per workspace in chunks under NOTIFY's 8 000-byte limit; readers fetch what they show.
 * Transactions relay inside themselves (no commit without its notification, even if the process
 * dies right after); single statements relay right after, batched with whatever else is waiting.
 */
export class ClusterEventBus extends EventBus {
  private pending: RealtimeEvent[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly notifications: PgNotifications,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    super();
    notifications.on(NOTIFY_CHANNELS.events, (payload) => this.received(payload));
    notifications.onReconnect(() =>
      this.publishToAll({ type: RESYNC_EVENT_TYPE, conversationId: null, messageId: null, at: this.clock.now().toISOString() }),
    );
  }

  override publish(events: readonly RealtimeEvent[]): void {
    if (events.length === 0) return;
    this.publishLocal(events);
    this.pending.push(...events);
    this.flushing ??= this.flush();
  }

  override async relayInTransaction(trx: Tx, events: readonly RealtimeEvent[]): Promise<void> {
    await this.notifications.notify(trx, NOTIFY_CHANNELS.events, encodeEvents(events));
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.notifications.notify(this.db, NOTIFY_CHANNELS.events, encodeEvents(batch));
      } catch (error) {
        this.log.warn({ err: error, events: batch.length }, 'relaying realtime events to other processes failed');
      }
    }
    this.flushing = null;
  }

  /** Resolves once every event published so far was handed to PostgreSQL (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private received(payload: string): void {
    try {
      this.publishLocal(decodeEvents(payload));
    } catch (error) {
      this.log.warn({ err: error }, 'unreadable realtime notification ignored');
    }
  }
}

type Packed = [type: string, conversationId: string | null, messageId: string | null, at: string, data?: Record<string, unknown>];

/** Events as NOTIFY payloads: `{"w": workspaceId, "e": [[type, conversationId, messageId, at, data?], …]}`. */
export function encodeEvents(events: readonly RealtimeEvent[]): string[] {
  const byWorkspace = new Map<string, Packed[]>();
  for (const event of events) {
    const packed: Packed = [event.type, event.conversationId, event.messageId, event.at];
    if (event.data && Object.keys(event.data).length > 0) packed.push(event.data);
    const list = byWorkspace.get(event.workspaceId) ?? [];
    list.push(packed);
    byWorkspace.set(event.workspaceId, list);
  }
  const payloads: string[] = [];
  // Room for the origin prefix and the envelope.
  const budget = NOTIFY_PAYLOAD_LIMIT - 100;
  for (const [workspaceId, packedList] of byWorkspace) {
    const head = `{"w":${JSON.stringify(workspaceId)},"e":[`;
    let parts: string[] = [];
    let size = 0;
    const close = () => {
      if (parts.length > 0) payloads.push(`${head}${parts.join(',')}]}`);
      parts = [];
      size = 0;
    };
    for (let packed of packedList) {
      let text = JSON.stringify(packed);
      // Events carry ids, not content; should a future one carry a large `data`, the ids still go.
      if (Buffer.byteLength(text) > budget - head.length) {
        packed = packed.slice(0, 4) as Packed;
        text = JSON.stringify(packed);
      }
      const bytes = Buffer.byteLength(text) + 1;
      if (size + bytes > budget - head.length) close();
      parts.push(text);
      size += bytes;
    }
    close();
  }
  return payloads;
}

export function decodeEvents(payload: string): RealtimeEvent[] {
  const parsed = JSON.parse(payload) as { w: string; e: Packed[] };
  return parsed.e.map(([type, conversationId, messageId, at, data]) => ({
    type,
    workspaceId: parsed.w,
    conversationId,
    messageId,
    at,
    ...(data ? { data } : {}),
  }));
}
