import { EventEmitter } from 'node:events';
import type { RealtimeEvent } from '../contracts/realtime.ts';
import type { Tx } from '../db/database.ts';

export type { RealtimeEvent };

/**
 * In-process fan-out of committed changes to server-sent-event streams, per workspace.
 * Events are published only after their transaction commits, so a client never hears of a
 * change it cannot read. With PostgreSQL, ClusterEventBus also relays them to the other
 * processes (src/realtime/cluster-event-bus.ts); PGlite is one process and stays here.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Committed events, for every process's subscribers. */
  publish(events: readonly RealtimeEvent[]): void {
    this.publishLocal(events);
  }

  /**
   * Inside the transaction that makes the change: other processes hear of it if and only if it
   * commits. The caller then calls `publishLocal` after the commit. Nothing to do in one process.
   */
  async relayInTransaction(_trx: Tx, _events: readonly RealtimeEvent[]): Promise<void> {}

  /** This process's subscribers only. */
  publishLocal(events: readonly RealtimeEvent[]): void {
    for (const event of events) this.emitter.emit(event.workspaceId, event);
  }

  /** Every workspace's subscribers: a resync notice after this process may have missed events. */
  publishToAll(event: Omit<RealtimeEvent, 'workspaceId'>): void {
    for (const name of this.emitter.eventNames()) {
      if (typeof name === 'string') this.emitter.emit(name, { ...event, workspaceId: name });
    }
  }

  subscribe(workspaceId: string, listener: (event: RealtimeEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }
}
