import { describe, expect, it } from 'vitest';
import {
  CURRENT_CLIENT_VERSION,
  CURRENT_REVOKE_WINDOW_SECONDS,
  channelCapabilities,
  DEFAULT_EDIT_WINDOW_SECONDS,
  defaultProfiles,
  defaultSimulatorSettings,
  REFERENCE_REVOKE_WINDOW_SECONDS,
} from './channel-profile.ts';
import { isOutdatedClient } from './client-version.ts';

describe('window constants (PRODUCT.md §3)', () => {
  it('reference revoke window is 1 h 8 min 16 s = 4096 s', () => {
    expect(REFERENCE_REVOKE_WINDOW_SECONDS).toBe(4_096);
    expect(REFERENCE_REVOKE_WINDOW_SECONDS).toBe(1 * 3600 + 8 * 60 + 16);
  });

  it('current revoke window is 60 h = 216000 s', () => {
    expect(CURRENT_REVOKE_WINDOW_SECONDS).toBe(216_000);
    expect(CURRENT_REVOKE_WINDOW_SECONDS).toBe(60 * 3600);
  });

  it('edit window is 15 min = 900 s', () => {
    expect(DEFAULT_EDIT_WINDOW_SECONDS).toBe(900);
  });
});

describe('channelCapabilities (PRODUCT.md §4)', () => {
  it('simulator can delete, edit and confirms revokes', () => {
    expect(channelCapabilities.simulator).toEqual({ deleteForEveryone: true, edit: true, confirmsRevoke: true });
  });

  it('WhatsApp Cloud API can neither delete nor edit, and confirms nothing', () => {
    expect(channelCapabilities['whatsapp-cloud']).toEqual({ deleteForEveryone: false, edit: false, confirmsRevoke: false });
  });

  it('Evolution API can delete and edit but does not confirm revokes', () => {
    expect(channelCapabilities.evolution).toEqual({ deleteForEveryone: true, edit: true, confirmsRevoke: false });
  });
});

describe('defaultProfiles', () => {
  it('simulator uses the reference revoke window and the 15 min edit window, no hold', () => {
    expect(defaultProfiles.simulator).toEqual({ revokeWindowSeconds: 4_096, editWindowSeconds: 900, defaultHoldSeconds: 0 });
  });

  it('Evolution uses the current revoke window', () => {
    expect(defaultProfiles.evolution).toEqual({ revokeWindowSeconds: 216_000, editWindowSeconds: 900, defaultHoldSeconds: 0 });
  });

  it('Cloud API has no windows and a hold by default (its only unsend)', () => {
    expect(defaultProfiles['whatsapp-cloud'].revokeWindowSeconds).toBe(0);
    expect(defaultProfiles['whatsapp-cloud'].editWindowSeconds).toBe(0);
    expect(defaultProfiles['whatsapp-cloud'].defaultHoldSeconds).toBeGreaterThan(0);
  });
});

describe('simulator settings', () => {
  it('defaults: min client 2.17.0, offline revoke deadline one day', () => {
    expect(defaultSimulatorSettings).toEqual({ minClientVersion: '2.17.0', offlineRevokeDeadlineSeconds: 86_400 });
  });

  it('the current client version is not outdated under the defaults', () => {
    expect(isOutdatedClient(CURRENT_CLIENT_VERSION, defaultSimulatorSettings.minClientVersion)).toBe(false);
  });
});
