import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { acquireSendLane, releaseSendLanes, renewSendLanes } from '../db/queries/send-lane-queries.ts';

export type LaneAcquisition = 'held' | 'taken' | 'busy';

/**
 * This process's leases on channels' sender lanes (table `send_lanes`). A lane sends only while
 * `holds` is true, which is judged on this process's own monotonic clock from the moment the last
 * renewal was *sent*, minus a margin: the database's lease always ends later than the local one,
 * so a stalled process stops sending before anyone else may start. A heartbeat renews every held
 * lease in one statement a few times per lease period.
 */
export class SendLaneLeases {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Until when (performance.now() ms) this process may send for each lane it holds. */
  private readonly validUntil = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly marginMs: number;

  constructor(
    private readonly db: Db,
    readonly seconds: number,
    private readonly log: Logger,
  ) {
    this.marginMs = Math.min(Math.max(1_000, seconds * 200), seconds * 500);
  }

  holds(channelId: string): boolean {
    const until = this.validUntil.get(channelId);
    return until !== undefined && performance.now() < until;
  }

  /** Lanes held now. */
  held(): string[] {
    return [...this.validUntil.keys()].filter((id) => this.holds(id));
  }

  /**
   * `held`: ours already (or renewed); `taken`: ours now, from another process that held it
   * before (its last sends may be less than a second old); `busy`: another live process has it.
   */
  async acquire(channelId: string): Promise<LaneAcquisition> {
    if (this.holds(channelId)) return 'held';
    const sentAt = performance.now();
    const result = await acquireSendLane(this.db, channelId, this.owner, this.seconds);
    if (!result.held) {
      this.validUntil.delete(channelId);
      return 'busy';
    }
    this.validUntil.set(channelId, sentAt + this.seconds * 1000 - this.marginMs);
    return result.previousOwner && result.previousOwner !== this.owner ? 'taken' : 'held';
  }

  start(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.renew(), Math.max(250, (this.seconds * 1000) / 4));
    this.heartbeat.unref();
  }

  private async renew(): Promise<void> {
    const ids = [...this.validUntil.keys()];
    if (ids.length === 0) return;
    const sentAt = performance.now();
    try {
      const kept = new Set(await renewSendLanes(this.db, ids, this.owner, this.seconds));
      for (const id of ids) {
        if (kept.has(id)) this.validUntil.set(id, sentAt + this.seconds * 1000 - this.marginMs);
        else {
          this.validUntil.delete(id);
          this.log.warn({ channelId: id }, 'sender lane lease lost to another process');
        }
      }
    } catch (error) {
      // Held lanes keep sending until their local validity ends, then stop.
      this.log.warn({ err: error }, 'renewing sender lane leases failed');
    }
  }

  async release(channelIds: readonly string[]): Promise<void> {
    for (const id of channelIds) this.validUntil.delete(id);
    await releaseSendLanes(this.db, channelIds, this.owner);
  }

  /** Stops the heartbeat and gives every lane back (a clean shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const ids = [...this.validUntil.keys()];
    try {
      await this.release(ids);
    } catch (error) {
      this.log.warn({ err: error }, 'releasing sender lanes failed; they will be taken over once their leases run out');
    }
  }

  /** Tests: behave like a process that died (no renewal, no release). */
  abandon(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.validUntil.clear();
  }
}
