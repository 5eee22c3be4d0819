import type { Logger } from 'pino';
import type { ChannelCache } from './channels/channel-cache.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import type { JobQueue } from './jobs/job-queue.ts';
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
}
