import { describe, expect, it } from 'vitest';
import type { SimulatorSettings } from './channel-profile.ts';
import {
  assessMaybeSeen,
  countDevicesIgnoringChanges,
  type DeviceCopy,
  type DeviceInfo,
  editOutcomeOn,
  emptyCopy,
  keepsOriginal,
  type MessageOnTheWire,
  readOnDevice,
  syncDeviceCopy,
} from './device-delivery.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const settings: SimulatorSettings = { minClientVersion: '2.17.0', offlineRevokeDeadlineSeconds: 86_400 };

/** A message sent at T0, version 1, not revoked. */
function wire(overrides: Partial<MessageOnTheWire> = {}): MessageOnTheWire {
  return { sentAt: T0, sentVersion: 1, version: 1, revokedAt: null, ...overrides };
}
function device(overrides: Partial<DeviceInfo> = {}): DeviceInfo {
  return { id: 'phone-1', clientVersion: '2.24.20', online: true, ...overrides };
}
const currentOnline = device();
const currentOffline = device({ online: false });
const outdatedOnline = device({ id: 'old-phone', clientVersion: '2.16.9' });
const outdatedOffline = device({ id: 'old-phone', clientVersion: '2.16.9', online: false });

function copy(overrides: Partial<DeviceCopy> = {}): DeviceCopy {
  return { ...emptyCopy, ...overrides };
}
/** A copy delivered at T0+1 showing version 1. */
const deliveredCopy = (overrides: Partial<DeviceCopy> = {}) => copy({ deliveredAt: at(1), shownVersion: 1, ...overrides });

const sync = (m: MessageOnTheWire, d: DeviceInfo, c: DeviceCopy, now: Date, s: SimulatorSettings = settings) =>
  syncDeviceCopy(m, d, c, s, now);

// ---------------------------------------------------------------------------------------------

describe('syncDeviceCopy — delivery and edits', () => {
  it('a message not yet sent reaches no device', () => {
    for (const d of [currentOnline, currentOffline, outdatedOnline]) {
      const change = sync(wire({ sentAt: null, sentVersion: null }), d, emptyCopy, at(5));
      expect(change.copy).toEqual(emptyCopy);
      expect(change.events).toEqual([]);
    }
  });

  it('an online current device gets it delivered with the latest version', () => {
    const change = sync(wire({ sentVersion: 1, version: 3 }), currentOnline, emptyCopy, at(2));
    expect(change.copy).toEqual({ ...emptyCopy, deliveredAt: at(2), shownVersion: 3 });
    expect(change.events).toEqual([{ type: 'device.delivered', data: { deviceId: 'phone-1', version: 3 } }]);
  });

  it('does not mutate the copy it is given', () => {
    const before = copy();
    sync(wire(), currentOnline, before, at(2));
    expect(before).toEqual(emptyCopy);
  });

  it('syncing again changes nothing (idempotent)', () => {
    const first = sync(wire(), currentOnline, emptyCopy, at(2));
    const again = sync(wire(), currentOnline, first.copy, at(3));
    expect(again.copy).toEqual(first.copy);
    expect(again.events).toEqual([]);
  });

  it('an offline device gets nothing until it reconnects', () => {
    const offline = sync(wire(), currentOffline, emptyCopy, at(2));
    expect(offline.copy).toEqual(emptyCopy);
    expect(offline.events).toEqual([]);
    const back = sync(wire(), device({ online: true }), offline.copy, at(500));
    expect(back.copy.deliveredAt).toEqual(at(500));
    expect(back.copy.shownVersion).toBe(1);
  });

  it('an edit after delivery is applied on an online current device', () => {
    const change = sync(wire({ version: 2 }), currentOnline, deliveredCopy(), at(60));
    expect(change.copy.shownVersion).toBe(2);
    expect(change.copy.deliveredAt).toEqual(at(1));
    expect(change.events).toEqual([{ type: 'device.edit_applied', data: { deviceId: 'phone-1', version: 2 } }]);
  });

  it('an edit waits on an offline device, then applies on reconnect', () => {
    const offline = sync(wire({ version: 2 }), currentOffline, deliveredCopy(), at(60));
    expect(offline.copy.shownVersion).toBe(1);
    expect(offline.events).toEqual([]);
    const back = sync(wire({ version: 2 }), currentOnline, offline.copy, at(120));
    expect(back.copy.shownVersion).toBe(2);
  });

  it('an outdated device (below minClientVersion) shows the version that left', () => {
    const change = sync(wire({ sentVersion: 1, version: 3 }), outdatedOnline, emptyCopy, at(2));
    expect(change.copy.deliveredAt).toEqual(at(2));
    expect(change.copy.shownVersion).toBe(1);
    expect(change.events).toEqual([{ type: 'device.delivered', data: { deviceId: 'old-phone', version: 1 } }]);
  });

  it('an outdated device shows the version that left even when edits during the hold made it > 1', () => {
    expect(sync(wire({ sentVersion: 2, version: 4 }), outdatedOnline, emptyCopy, at(2)).copy.shownVersion).toBe(2);
  });

  it('an outdated device falls back to version 1 when the sent version is unknown', () => {
    expect(sync(wire({ sentVersion: null, version: 3 }), outdatedOnline, emptyCopy, at(2)).copy.shownVersion).toBe(1);
  });

  it('an outdated device ignores edits', () => {
    const change = sync(wire({ version: 2 }), outdatedOnline, deliveredCopy(), at(60));
    expect(change.copy.shownVersion).toBe(1);
    expect(change.events).toEqual([]);
  });

  it('a device exactly at minClientVersion is not outdated', () => {
    const change = sync(wire({ sentVersion: 1, version: 2 }), device({ clientVersion: '2.17' }), emptyCopy, at(2));
    expect(change.copy.shownVersion).toBe(2);
  });

  it('compares versions numerically ("2.9" is below "2.17")', () => {
    const change = sync(wire({ version: 2 }), device({ clientVersion: '2.9' }), emptyCopy, at(2));
    expect(change.copy.shownVersion).toBe(1);
  });
});

describe('syncDeviceCopy — revokes', () => {
  const revokedAt = at(100);
  const revoked = wire({ revokedAt });
  const deadline = 100 + 86_400;

  it('an online current device applies the revoke at once', () => {
    const change = sync(revoked, currentOnline, deliveredCopy(), at(100));
    expect(change.copy).toMatchObject({ revokeOutcome: 'applied', revokeRequestedAt: revokedAt, revokeResolvedAt: at(100) });
    expect(change.events).toEqual([{ type: 'device.revoke_outcome', data: { deviceId: 'phone-1', outcome: 'applied' } }]);
    expect(keepsOriginal(change.copy)).toBe(false);
  });

  it('an outdated device ignores the revoke and keeps the original', () => {
    const change = sync(revoked, outdatedOnline, deliveredCopy(), at(100));
    expect(change.copy).toMatchObject({
      revokeOutcome: 'ignored',
      revokeRequestedAt: revokedAt,
      revokeResolvedAt: at(100),
      shownVersion: 1,
    });
    expect(change.events).toEqual([{ type: 'device.revoke_outcome', data: { deviceId: 'old-phone', outcome: 'ignored' } }]);
    expect(keepsOriginal(change.copy)).toBe(true);
  });

  it('an outdated device that is offline stays pending, and ignores the revoke once it reconnects', () => {
    const pending = sync(revoked, outdatedOffline, deliveredCopy(), at(100)).copy;
    expect(pending.revokeOutcome).toBe('pending');
    const reconnected = sync(revoked, { ...outdatedOffline, online: true }, pending, at(200)).copy;
    expect(reconnected.revokeOutcome).toBe('ignored');
    expect(keepsOriginal(reconnected)).toBe(true);
  });

  it('an offline device is pending, with no resolution time', () => {
    const change = sync(revoked, currentOffline, deliveredCopy(), at(100));
    expect(change.copy).toMatchObject({ revokeOutcome: 'pending', revokeRequestedAt: revokedAt, revokeResolvedAt: null });
    expect(change.events).toEqual([{ type: 'device.revoke_outcome', data: { deviceId: 'phone-1', outcome: 'pending' } }]);
    expect(keepsOriginal(change.copy)).toBe(false);
  });

  it('a pending device still offline produces no new event', () => {
    const pending = sync(revoked, currentOffline, deliveredCopy(), at(100)).copy;
    const again = sync(revoked, currentOffline, pending, at(5_000));
    expect(again.copy).toEqual(pending);
    expect(again.events).toEqual([]);
  });

  describe('offline device reconnecting', () => {
    const pending = () => sync(revoked, currentOffline, deliveredCopy(), at(100)).copy;

    it('before the deadline: applied', () => {
      const change = sync(revoked, currentOnline, pending(), at(3_600));
      expect(change.copy).toMatchObject({ revokeOutcome: 'applied', revokeRequestedAt: revokedAt, revokeResolvedAt: at(3_600) });
      expect(change.events).toEqual([{ type: 'device.revoke_outcome', data: { deviceId: 'phone-1', outcome: 'applied' } }]);
    });

    it('exactly at the deadline (revokedAt + 86400 s): applied', () => {
      expect(sync(revoked, currentOnline, pending(), at(deadline)).copy.revokeOutcome).toBe('applied');
    });

    it('one second after the deadline: expired, the original stays', () => {
      const change = sync(revoked, currentOnline, pending(), at(deadline + 1));
      expect(change.copy).toMatchObject({ revokeOutcome: 'expired', revokeResolvedAt: at(deadline + 1) });
      expect(change.events).toEqual([{ type: 'device.revoke_outcome', data: { deviceId: 'phone-1', outcome: 'expired' } }]);
      expect(keepsOriginal(change.copy)).toBe(true);
    });

    it('follows a custom deadline', () => {
      const short: SimulatorSettings = { ...settings, offlineRevokeDeadlineSeconds: 60 };
      expect(sync(revoked, currentOnline, pending(), at(160), short).copy.revokeOutcome).toBe('applied');
      expect(sync(revoked, currentOnline, pending(), at(161), short).copy.revokeOutcome).toBe('expired');
    });

    it('the deadline runs from the revoke request, not from the send', () => {
      const late = wire({ revokedAt: at(200_000) });
      const p = sync(late, currentOffline, deliveredCopy(), at(200_000)).copy;
      expect(sync(late, currentOnline, p, at(200_000 + 86_400)).copy.revokeOutcome).toBe('applied');
    });
  });

  it('a device that never got the message before the revoke receives it revoked on reconnect', () => {
    const p = sync(revoked, currentOffline, emptyCopy, at(100));
    expect(p.copy.deliveredAt).toBeNull();
    expect(p.copy.revokeOutcome).toBe('pending');
    const back = sync(revoked, currentOnline, p.copy, at(200));
    expect(back.copy).toMatchObject({ deliveredAt: at(200), revokeOutcome: 'applied' });
    expect(back.events.map((e) => e.type)).toEqual(['device.delivered', 'device.revoke_outcome']);
  });

  it.each(['applied', 'ignored', 'expired'] as const)('a final outcome (%s) is never revisited', (outcome) => {
    const settled = deliveredCopy({ revokeOutcome: outcome, revokeRequestedAt: revokedAt, revokeResolvedAt: at(150) });
    const change = sync(revoked, currentOnline, settled, at(300));
    expect(change.copy).toEqual(settled);
    expect(change.events).toEqual([]);
  });

  it('keeps the first request time across syncs', () => {
    const pending = deliveredCopy({ revokeOutcome: 'pending', revokeRequestedAt: at(100) });
    expect(sync(revoked, currentOnline, pending, at(400)).copy.revokeRequestedAt).toEqual(at(100));
  });
});

describe('readOnDevice', () => {
  it('reads what an online device received', () => {
    const change = readOnDevice(currentOnline, deliveredCopy(), at(30));
    expect(change.copy).toEqual(deliveredCopy({ readAt: at(30) }));
    expect(change.events).toEqual([{ type: 'device.read', data: { deviceId: 'phone-1' } }]);
  });

  it('an offline device reads nothing', () => {
    const c = deliveredCopy();
    expect(readOnDevice(currentOffline, c, at(30))).toEqual({ copy: c, events: [] });
  });

  it('nothing to read before delivery', () => {
    expect(readOnDevice(currentOnline, emptyCopy, at(30))).toEqual({ copy: emptyCopy, events: [] });
  });

  it('reading twice keeps the first read time', () => {
    const read = deliveredCopy({ readAt: at(30) });
    expect(readOnDevice(currentOnline, read, at(60))).toEqual({ copy: read, events: [] });
  });

  it('a tombstone (revoke applied) is not a read', () => {
    const c = deliveredCopy({ revokeOutcome: 'applied', revokeRequestedAt: at(10), revokeResolvedAt: at(10) });
    expect(readOnDevice(currentOnline, c, at(30))).toEqual({ copy: c, events: [] });
  });

  it('an original kept after an ignored revoke can still be read', () => {
    const c = deliveredCopy({ revokeOutcome: 'ignored', revokeRequestedAt: at(10), revokeResolvedAt: at(10) });
    expect(readOnDevice(outdatedOnline, c, at(30)).copy.readAt).toEqual(at(30));
  });
});

describe('keepsOriginal', () => {
  it('is true only for ignored and expired', () => {
    expect(keepsOriginal(copy({ revokeOutcome: 'ignored' }))).toBe(true);
    expect(keepsOriginal(copy({ revokeOutcome: 'expired' }))).toBe(true);
    for (const o of ['applied', 'pending', 'unknown', null] as const) {
      expect(keepsOriginal(copy({ revokeOutcome: o })), String(o)).toBe(false);
    }
  });
});

describe('assessMaybeSeen', () => {
  it('a revoke applied everywhere before any read: not seen', () => {
    expect(assessMaybeSeen(false, ['applied', 'applied'])).toEqual({ maybeSeen: false, reasons: [] });
  });

  it('no devices, nothing read: not seen', () => {
    expect(assessMaybeSeen(false, [])).toEqual({ maybeSeen: false, reasons: [] });
  });

  it('pending and null outcomes alone do not count', () => {
    expect(assessMaybeSeen(false, ['pending', null])).toEqual({ maybeSeen: false, reasons: [] });
  });

  it('read before revoke', () => {
    expect(assessMaybeSeen(true, ['applied'])).toEqual({ maybeSeen: true, reasons: ['read_before_revoke'] });
  });

  it.each(['ignored', 'expired'] as const)('a device that kept the original (%s)', (outcome) => {
    expect(assessMaybeSeen(false, ['applied', outcome])).toEqual({ maybeSeen: true, reasons: ['device_kept_original'] });
  });

  it('a channel that confirms nothing', () => {
    expect(assessMaybeSeen(false, ['unknown'])).toEqual({ maybeSeen: true, reasons: ['unconfirmed'] });
  });

  it('lists each reason once, in a stable order', () => {
    expect(assessMaybeSeen(true, ['unknown', 'expired', 'ignored', 'unknown'])).toEqual({
      maybeSeen: true,
      reasons: ['read_before_revoke', 'device_kept_original', 'unconfirmed'],
    });
  });
});

describe('edit outcome per device (issue 11, defect 4)', () => {
  it('applied once the device shows the current version', () => {
    expect(editOutcomeOn(2, { online: true, outdated: false }, { shownVersion: 2 })).toBe('applied');
    expect(editOutcomeOn(2, { online: false, outdated: true }, { shownVersion: 2 })).toBe('applied');
  });
  it('ignored by an outdated app that was reached, pending while offline', () => {
    expect(editOutcomeOn(2, { online: true, outdated: true }, { shownVersion: 1 })).toBe('ignored');
    expect(editOutcomeOn(2, { online: false, outdated: false }, { shownVersion: 1 })).toBe('pending');
    expect(editOutcomeOn(2, { online: false, outdated: true }, { shownVersion: 0 })).toBe('pending');
  });
  it('counts the outdated devices that have the message, not those linked after it left', () => {
    const sentAt = new Date('2026-01-01T10:00:00Z');
    const devices = [
      { createdAt: new Date('2026-01-01T09:00:00Z'), clientVersion: '2.12.0' },
      { createdAt: new Date('2026-01-01T09:00:00Z'), clientVersion: '2.24.20' },
      { createdAt: new Date('2026-01-01T11:00:00Z'), clientVersion: '2.10.0' },
    ];
    expect(countDevicesIgnoringChanges(devices, sentAt, '2.17.0')).toBe(1);
    expect(countDevicesIgnoringChanges(devices, null, '2.17.0')).toBe(2);
  });
});
