import { isOutdatedClient } from './client-version.ts';
import type { SimulatorSettings } from './channel-profile.ts';
import { isWithinWindow } from './message-windows.ts';

/**
 * What happens on one of the customer's devices (the simulator's model of WhatsApp clients).
 * One function brings a device's copy of a message up to date with the message: delivery,
 * edits and revokes reach an online device at once, an offline one when it reconnects; an
 * outdated client ignores edits and revokes; a revoke that reaches a device past the deadline is
 * no longer applied.
 */
export type RevokeOutcome = 'applied' | 'pending' | 'ignored' | 'expired' | 'unknown';

export interface DeviceInfo {
  id: string;
  clientVersion: string;
  online: boolean;
}

export interface DeviceCopy {
  deliveredAt: Date | null;
  readAt: Date | null;
  /** The message version this device shows; 0 before delivery. */
  shownVersion: number;
  revokeOutcome: RevokeOutcome | null;
  revokeRequestedAt: Date | null;
  revokeResolvedAt: Date | null;
}

export interface MessageOnTheWire {
  /** Set once the message left for the channel; before that nothing reaches any device. */
  sentAt: Date | null;
  /** The version that left (edits made during the hold are not edits for the customer). */
  sentVersion: number | null;
  version: number;
  revokedAt: Date | null;
}

export const emptyCopy: DeviceCopy = {
  deliveredAt: null,
  readAt: null,
  shownVersion: 0,
  revokeOutcome: null,
  revokeRequestedAt: null,
  revokeResolvedAt: null,
};

export interface DeviceChange {
  copy: DeviceCopy;
  events: { type: string; data: Record<string, unknown> }[];
}

export function syncDeviceCopy(
  message: MessageOnTheWire,
  device: DeviceInfo,
  copy: DeviceCopy,
  settings: SimulatorSettings,
  now: Date,
): DeviceChange {
  const outdated = isOutdatedClient(device.clientVersion, settings.minClientVersion);
  const next: DeviceCopy = { ...copy };
  const events: DeviceChange['events'] = [];
  if (!message.sentAt) return { copy: next, events };

  if (device.online && !next.deliveredAt) {
    next.deliveredAt = now;
    // An outdated client shows what left and ignores the edits that follow it.
    next.shownVersion = outdated ? (message.sentVersion ?? 1) : message.version;
    events.push({ type: 'device.delivered', data: { deviceId: device.id, version: next.shownVersion } });
  } else if (device.online && !outdated && next.shownVersion < message.version) {
    next.shownVersion = message.version;
    events.push({ type: 'device.edit_applied', data: { deviceId: device.id, version: message.version } });
  }

  if (message.revokedAt && (next.revokeOutcome === null || next.revokeOutcome === 'pending')) {
    next.revokeRequestedAt = next.revokeRequestedAt ?? message.revokedAt;
    const outcome = revokeOutcomeFor(device, outdated, message.revokedAt, settings, now);
    if (outcome !== next.revokeOutcome) {
      next.revokeOutcome = outcome;
      next.revokeResolvedAt = outcome === 'pending' ? null : now;
      events.push({ type: 'device.revoke_outcome', data: { deviceId: device.id, outcome } });
    }
  }
  return { copy: next, events };
}

function revokeOutcomeFor(
  device: DeviceInfo,
  outdated: boolean,
  revokedAt: Date,
  settings: SimulatorSettings,
  now: Date,
): RevokeOutcome {
  // Nothing is known until the revoke reaches the device; then an outdated client ignores it.
  if (!device.online) return 'pending';
  if (outdated) return 'ignored';
  return isWithinWindow(revokedAt, now, settings.offlineRevokeDeadlineSeconds) ? 'applied' : 'expired';
}

/** The customer opens the chat on this device: what it received is now read. */
export function readOnDevice(device: DeviceInfo, copy: DeviceCopy, now: Date): DeviceChange {
  if (!device.online || !copy.deliveredAt || copy.readAt || copy.revokeOutcome === 'applied') {
    return { copy, events: [] };
  }
  return {
    copy: { ...copy, readAt: now },
    events: [{ type: 'device.read', data: { deviceId: device.id } }],
  };
}

/** Whether this device still shows the original after a revoke (so the customer may have it). */
export function keepsOriginal(copy: DeviceCopy): boolean {
  return copy.revokeOutcome === 'ignored' || copy.revokeOutcome === 'expired';
}

export interface SeenAssessment {
  maybeSeen: boolean;
  reasons: ('read_before_revoke' | 'device_kept_original' | 'unconfirmed')[];
}

/**
 * "May have been seen": honest about what a revoke could not undo — a read before the revoke,
 * a device that kept the original, or a channel that confirms nothing.
 */
export function assessMaybeSeen(
  readBeforeRevoke: boolean,
  outcomes: readonly (RevokeOutcome | null)[],
): SeenAssessment {
  const reasons: SeenAssessment['reasons'] = [];
  if (readBeforeRevoke) reasons.push('read_before_revoke');
  if (outcomes.some((o) => o === 'ignored' || o === 'expired')) reasons.push('device_kept_original');
  if (outcomes.some((o) => o === 'unknown')) reasons.push('unconfirmed');
  return { maybeSeen: reasons.length > 0, reasons };
}

/** Where the latest edit of a message stands on one device (the simulator knows; real channels do not). */
export type EditOutcome = 'applied' | 'pending' | 'ignored';

/**
 * An edit on one device that has (or will get) the message: `applied` once it shows the current
 * version, `ignored` by an outdated app that is reached, `pending` while the device is offline.
 * Edits follow the revoke's path (decisions.md), minus its deadline.
 */
export function editOutcomeOn(currentVersion: number, device: { online: boolean; outdated: boolean }, copy: Pick<DeviceCopy, 'shownVersion'>): EditOutcome {
  if (copy.shownVersion >= currentVersion) return 'applied';
  if (!device.online) return 'pending';
  return device.outdated ? 'ignored' : 'pending';
}

/**
 * How many of the customer's devices have (or will get) this message on an outdated app, and so
 * will ignore an edit or a deletion of it. A device linked after the message left never gets it.
 */
export function countDevicesIgnoringChanges(
  devices: readonly { createdAt: Date; clientVersion: string }[],
  sentAt: Date | null,
  minClientVersion: string,
): number {
  return devices.filter((d) => (sentAt === null || d.createdAt <= sentAt) && isOutdatedClient(d.clientVersion, minClientVersion)).length;
}
