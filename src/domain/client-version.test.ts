import { describe, expect, it } from 'vitest';
import { compareClientVersions, isOutdatedClient, isValidClientVersion } from './client-version.ts';

describe('compareClientVersions', () => {
  it('compares parts numerically, not as strings', () => {
    expect(compareClientVersions('2.9', '2.10')).toBe(-1);
    expect(compareClientVersions('2.10', '2.9')).toBe(1);
    expect(compareClientVersions('2.23.4', '2.24')).toBe(-1);
    expect(compareClientVersions('10.0', '9.99.99')).toBe(1);
  });

  it('treats missing parts as zero', () => {
    expect(compareClientVersions('2.24', '2.24.0')).toBe(0);
    expect(compareClientVersions('2.24.0.0', '2.24')).toBe(0);
    expect(compareClientVersions('2', '2.0.1')).toBe(-1);
    expect(compareClientVersions('2.0.1', '2')).toBe(1);
  });

  it('treats an empty or non-numeric part as zero instead of failing', () => {
    expect(compareClientVersions('2..1', '2.0.1')).toBe(0);
    expect(compareClientVersions('2.x', '2.0')).toBe(0);
    expect(compareClientVersions('2.x', '2.1')).toBe(-1);
  });

  it('answers 0 for equal versions and only -1, 0 or 1', () => {
    expect(compareClientVersions('2.17.0', '2.17.0')).toBe(0);
    expect(compareClientVersions('1.0', '3.0')).toBe(-1);
    expect(compareClientVersions('3.0', '1.0')).toBe(1);
  });

  it('the first differing part decides', () => {
    expect(compareClientVersions('3.0.0', '2.99.99')).toBe(1);
    expect(compareClientVersions('2.17.1', '2.17.10')).toBe(-1);
  });
});

describe('isOutdatedClient', () => {
  it('a client below the minimum is outdated', () => {
    expect(isOutdatedClient('2.16.9', '2.17.0')).toBe(true);
    expect(isOutdatedClient('2.9', '2.17.0')).toBe(true);
  });

  it('a client at or above the minimum is not outdated', () => {
    expect(isOutdatedClient('2.17', '2.17.0')).toBe(false);
    expect(isOutdatedClient('2.17.0', '2.17.0')).toBe(false);
    expect(isOutdatedClient('2.24.20', '2.17.0')).toBe(false);
    expect(isOutdatedClient('2.100', '2.17.0')).toBe(false);
  });
});

describe('isValidClientVersion', () => {
  it('accepts one to four dotted numeric parts', () => {
    for (const v of ['2', '2.24', '2.24.20', '2.24.20.1', '99999.0']) {
      expect(isValidClientVersion(v), v).toBe(true);
    }
  });

  it('rejects anything else', () => {
    for (const v of ['', '2.', '.2', 'v2.24', '2.24.20.1.5', '2..4', '2.a', '2.24-beta', '123456', ' 2.24']) {
      expect(isValidClientVersion(v), JSON.stringify(v)).toBe(false);
    }
  });
});
