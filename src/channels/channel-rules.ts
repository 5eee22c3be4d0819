import type { ChannelRow } from '../db/schema.ts';
import {
  channelCapabilities,
  defaultProfiles,
  defaultSimulatorSettings,
  type SimulatorSettings,
} from '../domain/channel-profile.ts';
import type { ChannelRules } from '../domain/message-lifecycle.ts';

/** A channel row as the domain sees it: capabilities from its type, windows from its profile. */
export function channelRules(channel: ChannelRow): ChannelRules {
  const defaults = defaultProfiles[channel.type];
  return {
    capabilities: channelCapabilities[channel.type],
    profile: {
      revokeWindowSeconds: channel.revoke_window_seconds ?? defaults.revokeWindowSeconds,
      editWindowSeconds: channel.edit_window_seconds ?? defaults.editWindowSeconds,
      defaultHoldSeconds: channel.default_hold_seconds,
    },
  };
}

export function simulatorSettings(channel: ChannelRow): SimulatorSettings {
  const config = channel.config as Partial<SimulatorSettings>;
  return {
    minClientVersion: config.minClientVersion ?? defaultSimulatorSettings.minClientVersion,
    offlineRevokeDeadlineSeconds: config.offlineRevokeDeadlineSeconds ?? defaultSimulatorSettings.offlineRevokeDeadlineSeconds,
  };
}
