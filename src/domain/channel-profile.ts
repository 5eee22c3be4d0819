/** What a channel can really do (PRODUCT.md §4). Decided by its type, never by configuration. */
export type ChannelType = 'simulator' | 'whatsapp-cloud' | 'evolution';

export interface ChannelCapabilities {
  deleteForEveryone: boolean;
  edit: boolean;
  /** Whether the channel tells us, per device, if a revoke was applied. Real channels do not. */
  confirmsRevoke: boolean;
}

export const channelCapabilities: Record<ChannelType, ChannelCapabilities> = {
  simulator: { deleteForEveryone: true, edit: true, confirmsRevoke: true },
  'whatsapp-cloud': { deleteForEveryone: false, edit: false, confirmsRevoke: false },
  evolution: { deleteForEveryone: true, edit: true, confirmsRevoke: false },
};

export interface ChannelProfile {
  revokeWindowSeconds: number;
  editWindowSeconds: number;
  defaultHoldSeconds: number;
}

/** The reference text's delete-for-everyone limit: 1 h 8 min 16 s. */
export const REFERENCE_REVOKE_WINDOW_SECONDS = 4_096;
/** Current WhatsApp apps: about two days and a half. */
export const CURRENT_REVOKE_WINDOW_SECONDS = 216_000;
export const DEFAULT_EDIT_WINDOW_SECONDS = 900;

export const defaultProfiles: Record<ChannelType, ChannelProfile> = {
  simulator: {
    revokeWindowSeconds: REFERENCE_REVOKE_WINDOW_SECONDS,
    editWindowSeconds: DEFAULT_EDIT_WINDOW_SECONDS,
    defaultHoldSeconds: 0,
  },
  'whatsapp-cloud': { revokeWindowSeconds: 0, editWindowSeconds: 0, defaultHoldSeconds: 10 },
  evolution: {
    revokeWindowSeconds: CURRENT_REVOKE_WINDOW_SECONDS,
    editWindowSeconds: DEFAULT_EDIT_WINDOW_SECONDS,
    defaultHoldSeconds: 0,
  },
};

/**
 * Who sets the delete-for-everyone and edit windows: Errata on the simulator; on real channels
 * WhatsApp does (the Cloud API has none, current apps give about 60 h and 15 min), so a setting
 * there would make Errata promise what the customer's phone does not do.
 */
export const windowsConfigurable: Record<ChannelType, boolean> = {
  simulator: true,
  'whatsapp-cloud': false,
  evolution: false,
};

/** Simulator-only knobs: how the customer's side behaves. */
export interface SimulatorSettings {
  /** Devices on an older client ignore revokes and edits. */
  minClientVersion: string;
  /** A revoke that reaches an offline device later than this after it was requested is not applied. */
  offlineRevokeDeadlineSeconds: number;
}

export const defaultSimulatorSettings: SimulatorSettings = {
  minClientVersion: '2.17.0',
  offlineRevokeDeadlineSeconds: 86_400,
};

export const CURRENT_CLIENT_VERSION = '2.24.20';
