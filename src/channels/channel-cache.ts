import type { Db } from '../db/database.ts';
import { listChannels } from '../db/queries/channel-queries.ts';
import type { ChannelRow } from '../db/schema.ts';

// Channels change rarely and are read on every send. This process invalidates on its own
// changes; the short lifetime bounds staleness should another process change them.
const TTL_MS = 5_000;

export class ChannelCache {
  private readonly entries = new Map<string, { rows: ChannelRow[]; expires: number }>();

  async list(db: Db, workspaceId: string): Promise<ChannelRow[]> {
    const hit = this.entries.get(workspaceId);
    if (hit && hit.expires > Date.now()) return hit.rows;
    const rows = await listChannels(db, workspaceId);
    this.entries.set(workspaceId, { rows, expires: Date.now() + TTL_MS });
    return rows;
  }

  /** The channel asked for, or the workspace's default one (else its oldest). */
  async pick(db: Db, workspaceId: string, channelId: string | undefined): Promise<ChannelRow | undefined> {
    const rows = await this.list(db, workspaceId);
    if (channelId) return rows.find((c) => c.id === channelId);
    return rows.find((c) => c.is_default) ?? rows[0];
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }
}
