import type { Logger } from 'pino';
import type { TtlCache } from './caches/ttl-cache.ts';
import type { ChannelCache } from './channels/channel-cache.ts';
import type { ProviderRegistry } from './channels/provider-registry.ts';
import type { ContactRow } from './db/schema.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import type { Guard } from './guard-runtime/create-guard.ts';
import type { WorkspaceGuardDataCache } from './guard-runtime/workspace-guard-data.ts';
import type { JobQueue } from './delivery/job-queue.ts';
import type { Mailer } from './mail/smtp-mailer.ts';
import type { EventBus } from './realtime/event-bus.ts';

/**
 * What commands may ask of the delivery loops (src/delivery/): a nudge after their transaction
 * committed. Small interfaces rather than the classes, so the context depends on nothing of the
 * pipeline that in turn depends on it; the app (src/app.ts) holds the classes themselves.
 */
export interface SenderWake {
  /** New work for a real channel's lane (a message was queued, a retry is due). */
  wake(channelId: string): void;
}
export interface ProviderEventsWake {
  /** New webhook facts are stored. */
  wake(): void;
}

/** Everything a command needs, passed as a plain argument. */
export interface AppContext {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  clock: Clock;
  jobs: JobQueue;
  bus: EventBus;
  log: Logger;
  channels: ChannelCache;
  /** Real channels' adapters and their (decrypted in memory only) secrets. */
  providers: ProviderRegistry;
  /** Hands queued messages of real channels to their provider, paced per number. */
  sender: SenderWake;
  /** Applies stored webhook facts (statuses, customer messages) to messages. */
  providerEvents: ProviderEventsWake;
  /** The pre-send guard, dictionaries loaded. */
  guard: Guard;
  guardData: WorkspaceGuardDataCache;
  /** Contacts by `workspaceId:contactId` (undefined: not in that workspace). */
  contacts: TtlCache<string, ContactRow | undefined>;
  /** Sends invitation and reset links when SMTP is configured (ERRATA_SMTP_URL). */
  mailer?: Mailer | undefined;
}
