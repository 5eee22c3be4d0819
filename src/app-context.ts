import type { Logger } from 'pino';
import type { TtlCache } from './caches/ttl-cache.ts';
import type { ChannelCache } from './channels/channel-cache.ts';
import type { ProviderRegistry } from './channels/provider-registry.ts';
import type { ProviderEventApplier } from './delivery/provider-event-applier.ts';
import type { ProviderSender } from './delivery/provider-sender.ts';
import type { ContactRow } from './db/schema.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import type { Guard } from './guard-runtime/create-guard.ts';
import type { WorkspaceGuardDataCache } from './guard-runtime/workspace-guard-data.ts';
import type { JobQueue } from './delivery/job-queue.ts';
import type { Mailer } from './mail/smtp-mailer.ts';
import type { EventBus } from './realtime/event-bus.ts';

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
  sender: ProviderSender;
  /** Applies stored webhook facts (statuses, customer messages) to messages. */
  providerEvents: ProviderEventApplier;
  /** The pre-send guard, dictionaries loaded. */
  guard: Guard;
  guardData: WorkspaceGuardDataCache;
  /** Contacts by `workspaceId:contactId` (undefined: not in that workspace). */
  contacts: TtlCache<string, ContactRow | undefined>;
  /** Sends invitation and reset links when SMTP is configured (ERRATA_SMTP_URL). */
  mailer?: Mailer | undefined;
}
