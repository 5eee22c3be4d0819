import { EventEmitter } from 'node:events';
import type { RealtimeEvent } from '../contracts/realtime.ts';

export type { RealtimeEvent };

/**
 * In-process fan-out of committed changes to server-sent-event streams, per workspace.
 * Events are published only after their transaction commits, so a client never hears of a
 * change it cannot read. (One server process; several would relay through LISTEN/NOTIFY.)
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(events: readonly RealtimeEvent[]): void {
    for (const event of events) this.emitter.emit(event.workspaceId, event);
  }

  subscribe(workspaceId: string, listener: (event: RealtimeEvent) => void): () => void {
    this.emitter.on(workspaceId, listener);
    return () => this.emitter.off(workspaceId, listener);
  }
}
