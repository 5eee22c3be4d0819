import type { AppContext } from '../app-context.ts';
import { insertChannel, listChannels } from '../db/queries/channel-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { defaultProfiles, type SimulatorSettings } from '../domain/channel-profile.ts';

export interface CreateChannelInput {
  workspaceId: string;
  type: 'simulator';
  name: string;
  revokeWindowSeconds?: number | undefined;
  editWindowSeconds?: number | undefined;
  defaultHoldSeconds?: number | undefined;
  simulator?: Partial<SimulatorSettings> | undefined;
}

export async function createChannel(ctx: AppContext, input: CreateChannelInput): Promise<ChannelRow> {
  const defaults = defaultProfiles[input.type];
  const existing = await listChannels(ctx.db, input.workspaceId);
  const row: ChannelRow = {
    id: crypto.randomUUID(),
    workspace_id: input.workspaceId,
    type: input.type,
    name: input.name,
    revoke_window_seconds: input.revokeWindowSeconds ?? defaults.revokeWindowSeconds,
    edit_window_seconds: input.editWindowSeconds ?? defaults.editWindowSeconds,
    default_hold_seconds: input.defaultHoldSeconds ?? defaults.defaultHoldSeconds,
    config: { ...(input.simulator ?? {}) },
    is_default: existing.length === 0,
    created_at: ctx.clock.now(),
  };
  await insertChannel(ctx.db, row);
  ctx.channels.invalidate(input.workspaceId);
  return row;
}
