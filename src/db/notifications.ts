import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DbOrTx } from './database.ts';

/** PostgreSQL refuses NOTIFY payloads of 8 000 bytes or more; we stay well below. */
export const NOTIFY_PAYLOAD_LIMIT = 7_500;

/** The channels Errata processes talk on (payloads carry ids and kinds, never content). */
export const NOTIFY_CHANNELS = {
  /** Realtime events of a workspace (see src/realtime/cluster-event-bus.ts). */
  events: 'errata_events',
  /** "This channel has work": wakes the process that owns the channel's sender lane. */
  senderWake: 'errata_sender_wake',
} as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[keyof typeof NOTIFY_CHANNELS];

type Handler = (payload: string) => void;

/**
 * One dedicated connection per process that LISTENs (a pooled connection cannot: LISTEN belongs to
 * a session). When it drops, it reconnects with backoff and reports the gap (`onReconnect`), since
 * notifications sent in between are lost for this process. Each payload starts with the sending
 * process's id: a process does not hear itself (it delivered its own events locally already).
 */
export class PgNotifications {
  readonly origin = randomUUID().slice(0, 8);
  private client: pg.Client | null = null;
  private readonly handlers = new Map<string, Handler>();
  private readonly reconnectListeners = new Set<() => void>();
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private everConnected = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  on(channel: NotifyChannel, handler: Handler): void {
    this.handlers.set(channel, handler);
  }

  /** Called after a lost connection is back: whatever was notified meanwhile was missed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Whether the LISTEN connection is up now (readiness). */
  get listening(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'errata-listen', keepAlive: true });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      const payload = message.payload ?? '';
      const bar = payload.indexOf('|');
      if (bar < 0 || payload.slice(0, bar) === this.origin) return;
      this.handlers.get(message.channel)?.(payload.slice(bar + 1));
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      this.scheduleRetry(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
    if (this.everConnected) {
      this.log.info('LISTEN connection back; subscribers told to refetch');
      for (const listener of this.reconnectListeners) listener();
    }
    this.everConnected = true;
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    if (this.stopped) return;
    this.scheduleRetry(error);
  }

  private scheduleRetry(error: unknown): void {
    if (this.stopped) return;
    const delay = Math.min(5_000, 250 * 2 ** this.failures++);
    this.log.warn({ err: error, retryInMs: delay }, 'LISTEN connection lost; reconnecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  /**
   * Sends payloads on a channel through `db` (inside a transaction: delivered only if it commits),
   * in one statement. Each payload must fit NOTIFY_PAYLOAD_LIMIT once prefixed (see `chunk`).
   */
  async notify(db: DbOrTx, channel: NotifyChannel, payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return;
    const prefixed = payloads.map((p) => `${this.origin}|${p}`);
    await sql`select pg_notify(${channel}, p) from unnest(${prefixed}::text[]) as p`.execute(db);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
