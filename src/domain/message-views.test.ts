import { describe, expect, it } from 'vitest';
import { type DeviceCopy, type DeviceInfo, emptyCopy, syncDeviceCopy } from './device-delivery.ts';
import { deviceScreenLine, lifecycleLabels, type ScreenMessage, senderView } from './message-views.ts';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const ORIGINAL = 'Votre devis : 100 €';
const EDITED = 'Votre devis : 1 000 €';

function screenMessage(overrides: Partial<ScreenMessage> = {}): ScreenMessage {
  return {
    id: 'msg-1',
    direction: 'out',
    createdAt: T0,
    versions: new Map([
      [1, ORIGINAL],
      [2, EDITED],
    ]),
    sentVersion: 1,
    ...overrides,
  };
}
function copy(overrides: Partial<DeviceCopy> = {}): DeviceCopy {
  return { ...emptyCopy, deliveredAt: at(2), shownVersion: 1, ...overrides };
}
const revokedCopy = (outcome: DeviceCopy['revokeOutcome'], overrides: Partial<DeviceCopy> = {}) =>
  copy({ revokeOutcome: outcome, revokeRequestedAt: at(100), revokeResolvedAt: outcome === 'pending' ? null : at(100), ...overrides });

// ---------------------------------------------------------------------------------------------

describe('lifecycleLabels (PRODUCT.md §3 wording)', () => {
  it('uses the words WhatsApp users know, in French and English', () => {
    expect(lifecycleLabels).toEqual({
      deletedForRecipient: { fr: 'Ce message a été supprimé', en: 'This message was deleted' },
      deletedBySender: { fr: 'Vous avez supprimé ce message', en: 'You deleted this message' },
      removedByAdmin: { fr: 'Supprimé par un administrateur', en: 'This message was removed by an admin' },
      edited: { fr: 'Modifié', en: 'Edited' },
    });
  });
});

describe('deviceScreenLine', () => {
  it('shows nothing for a message not delivered to the device', () => {
    expect(deviceScreenLine(screenMessage(), undefined, 'fr')).toBeNull();
    expect(deviceScreenLine(screenMessage(), emptyCopy, 'en')).toBeNull();
  });

  it('shows the delivered text, unread, at the delivery time', () => {
    expect(deviceScreenLine(screenMessage(), copy(), 'fr')).toEqual({
      messageId: 'msg-1',
      from: 'business',
      kind: 'text',
      text: ORIGINAL,
      edited: false,
      editedLabel: null,
      read: false,
      at: at(2),
    });
  });

  it('marks it read once the device read it', () => {
    expect(deviceScreenLine(screenMessage(), copy({ readAt: at(5) }), 'en')?.read).toBe(true);
  });

  it.each([
    ['fr', 'Ce message a été supprimé'],
    ['en', 'This message was deleted'],
  ] as const)('a revoke applied leaves the tombstone in the contact language (%s)', (language, label) => {
    const line = deviceScreenLine(screenMessage(), revokedCopy('applied'), language);
    expect(line).toEqual({
      messageId: 'msg-1',
      from: 'business',
      kind: 'tombstone',
      text: label,
      edited: false,
      editedLabel: null,
      read: false,
      at: at(2),
    });
  });

  it('a tombstone never shows the original text, even after an edit', () => {
    const line = deviceScreenLine(screenMessage(), revokedCopy('applied', { shownVersion: 2 }), 'en');
    expect(line?.text).toBe('This message was deleted');
    expect(line?.edited).toBe(false);
    expect(line?.editedLabel).toBeNull();
  });

  it('a tombstone keeps whether it had been read before', () => {
    expect(deviceScreenLine(screenMessage(), revokedCopy('applied', { readAt: at(50) }), 'fr')?.read).toBe(true);
  });

  it.each(['ignored', 'expired', 'pending'] as const)('a revoke %s leaves the original text', (outcome) => {
    for (const language of ['fr', 'en'] as const) {
      const line = deviceScreenLine(screenMessage(), revokedCopy(outcome), language);
      expect(line?.kind).toBe('text');
      expect(line?.text).toBe(ORIGINAL);
    }
  });

  it.each([
    ['fr', 'Modifié'],
    ['en', 'Edited'],
  ] as const)('an edit applied on the device shows the new text with the %s label', (language, label) => {
    const line = deviceScreenLine(screenMessage(), copy({ shownVersion: 2 }), language);
    expect(line).toMatchObject({ kind: 'text', text: EDITED, edited: true, editedLabel: label });
  });

  it('an edit the device did not apply shows the original without the label', () => {
    const line = deviceScreenLine(screenMessage(), copy({ shownVersion: 1 }), 'fr');
    expect(line).toMatchObject({ text: ORIGINAL, edited: false, editedLabel: null });
  });

  it('edits made during the hold are not edits for the customer', () => {
    const m = screenMessage({ sentVersion: 2 });
    expect(deviceScreenLine(m, copy({ shownVersion: 2 }), 'en')).toMatchObject({ text: EDITED, edited: false, editedLabel: null });
  });

  it('with an unknown sent version, version 1 is the baseline', () => {
    const m = screenMessage({ sentVersion: null });
    expect(deviceScreenLine(m, copy({ shownVersion: 1 }), 'en')?.edited).toBe(false);
    expect(deviceScreenLine(m, copy({ shownVersion: 2 }), 'en')?.edited).toBe(true);
  });

  it("shows the customer's own message as read, at its creation time, without a device copy", () => {
    const m = screenMessage({ direction: 'in', versions: new Map([[1, 'Bonjour, une question']]), sentVersion: null });
    expect(deviceScreenLine(m, undefined, 'fr')).toEqual({
      messageId: 'msg-1',
      from: 'customer',
      kind: 'text',
      text: 'Bonjour, une question',
      edited: false,
      editedLabel: null,
      read: true,
      at: T0,
    });
  });

  describe('end to end with syncDeviceCopy', () => {
    const settings = { minClientVersion: '2.17.0', offlineRevokeDeadlineSeconds: 86_400 };
    const current: DeviceInfo = { id: 'new', clientVersion: '2.24.20', online: true };
    const outdated: DeviceInfo = { id: 'old', clientVersion: '2.16.0', online: true };
    const edited = { sentAt: T0, sentVersion: 1, version: 2, revokedAt: null };
    const revoked = { ...edited, revokedAt: at(300) };

    it('the current device shows the edit, then the tombstone; the outdated one keeps the original', () => {
      const newCopy = syncDeviceCopy(edited, current, emptyCopy, settings, at(10)).copy;
      const oldCopy = syncDeviceCopy(edited, outdated, emptyCopy, settings, at(10)).copy;
      expect(deviceScreenLine(screenMessage(), newCopy, 'fr')).toMatchObject({ text: EDITED, editedLabel: 'Modifié' });
      expect(deviceScreenLine(screenMessage(), oldCopy, 'fr')).toMatchObject({ text: ORIGINAL, editedLabel: null });

      const newAfter = syncDeviceCopy(revoked, current, newCopy, settings, at(300)).copy;
      const oldAfter = syncDeviceCopy(revoked, outdated, oldCopy, settings, at(300)).copy;
      expect(deviceScreenLine(screenMessage(), newAfter, 'en')).toMatchObject({ kind: 'tombstone', text: 'This message was deleted' });
      expect(deviceScreenLine(screenMessage(), oldAfter, 'en')).toMatchObject({ kind: 'text', text: ORIGINAL });
    });
  });
});

describe('senderView', () => {
  it.each([
    ['fr', 'Vous avez supprimé ce message'],
    ['en', 'You deleted this message'],
  ] as const)('shows the sender tombstone for a revoked message (%s)', (language, label) => {
    expect(senderView({ revokedAt: at(100), text: ORIGINAL, editedAt: null }, language)).toEqual({ kind: 'tombstone', label });
  });

  it('a revoked message shows the tombstone even if it was edited', () => {
    expect(senderView({ revokedAt: at(100), text: EDITED, editedAt: at(50) }, 'fr')).toEqual({
      kind: 'tombstone',
      label: 'Vous avez supprimé ce message',
    });
  });

  it.each([
    ['fr', 'Modifié'],
    ['en', 'Edited'],
  ] as const)('shows the edited label (%s)', (language, label) => {
    expect(senderView({ revokedAt: null, text: EDITED, editedAt: at(50) }, language)).toEqual({ kind: 'text', label });
  });

  it('a plain message has no label', () => {
    expect(senderView({ revokedAt: null, text: ORIGINAL, editedAt: null }, 'en')).toEqual({ kind: 'text', label: null });
  });
});
