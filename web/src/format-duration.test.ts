import { describe, expect, it } from 'vitest';
import { formatDuration, translate } from './i18n.tsx';

// Time left reads as words, never like a clock ("14:23" reads as a time of day).
describe('formatDuration', () => {
  it('says seconds, minutes and seconds, hours and minutes, days and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.2)).toBe('1 min');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(14 * 60 + 23)).toBe('14 min 23 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(4096)).toBe('1 h 8 min');
    expect(formatDuration(47 * 3600 + 59 * 60)).toBe('47 h 59 min');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
    expect(formatDuration(3 * 86400 + 4 * 3600, 'fr')).toBe('3 j 4 h');
    expect(formatDuration(2 * 86400, 'fr')).toBe('2 j');
  });

  it('reads as a sentence in both languages', () => {
    expect(translate('en', 'windowLeft', { time: formatDuration(863) })).toBe('14 min 23 s left');
    expect(translate('fr', 'windowLeft', { time: formatDuration(863, 'fr') })).toBe('encore 14 min 23 s');
    expect(translate('en', 'status_held', { time: formatDuration(60) })).toBe('Held — sends in 1 min');
  });
});
