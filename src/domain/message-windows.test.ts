import { describe, expect, it } from 'vitest';
import { isWithinWindow, secondsLeft, windowEnd } from './message-windows.ts';

const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (seconds: number, ms = 0) => new Date(T0.getTime() + seconds * 1000 + ms);

describe('windowEnd', () => {
  it('adds the window in seconds to the start', () => {
    expect(windowEnd(T0, 4_096).toISOString()).toBe('2025-03-10T10:08:16.000Z');
    expect(windowEnd(T0, 216_000).toISOString()).toBe('2025-03-12T21:00:00.000Z');
    expect(windowEnd(T0, 900).toISOString()).toBe('2025-03-10T09:15:00.000Z');
  });

  it('a zero window ends where it starts', () => {
    expect(windowEnd(T0, 0).getTime()).toBe(T0.getTime());
  });

  it('does not mutate the start date', () => {
    const start = new Date(T0);
    windowEnd(start, 60);
    expect(start.getTime()).toBe(T0.getTime());
  });
});

describe('isWithinWindow', () => {
  it('is open at the start', () => {
    expect(isWithinWindow(T0, T0, 4_096)).toBe(true);
  });

  it('is open at exactly start + window', () => {
    expect(isWithinWindow(T0, at(4_096), 4_096)).toBe(true);
    expect(isWithinWindow(T0, at(216_000), 216_000)).toBe(true);
  });

  it('is closed one second after start + window', () => {
    expect(isWithinWindow(T0, at(4_097), 4_096)).toBe(false);
    expect(isWithinWindow(T0, at(216_001), 216_000)).toBe(false);
  });

  it('is closed even one millisecond after the limit', () => {
    expect(isWithinWindow(T0, at(4_096, 1), 4_096)).toBe(false);
  });

  it('a zero window is open only at the very start', () => {
    expect(isWithinWindow(T0, T0, 0)).toBe(true);
    expect(isWithinWindow(T0, at(1), 0)).toBe(false);
  });
});

describe('secondsLeft', () => {
  const end = at(4_096);

  it('counts whole seconds to the end', () => {
    expect(secondsLeft(end, T0)).toBe(4_096);
    expect(secondsLeft(end, at(4_000))).toBe(96);
    expect(secondsLeft(end, at(4_095))).toBe(1);
  });

  it('rounds partial seconds down', () => {
    expect(secondsLeft(end, at(4_094, 500))).toBe(1);
    expect(secondsLeft(end, at(4_095, 1))).toBe(0);
  });

  it('is 0 at the end and never negative after it', () => {
    expect(secondsLeft(end, at(4_096))).toBe(0);
    expect(secondsLeft(end, at(4_097))).toBe(0);
    expect(secondsLeft(end, at(100_000))).toBe(0);
  });
});
