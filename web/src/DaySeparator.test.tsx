import { cleanup, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dayLabel } from './DaySeparator.tsx';
import { channel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import { Thread } from './Thread.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const words = { today: 'Today', yesterday: 'Yesterday' };

describe('dayLabel', () => {
  it('today, yesterday, else the full date in the reader’s language', () => {
    const now = new Date(2026, 11, 7, 16, 0);
    expect(dayLabel(new Date(2026, 11, 7, 8, 30).toISOString(), now, 'en', words)).toBe('Today');
    expect(dayLabel(new Date(2026, 11, 6, 23, 59).toISOString(), now, 'en', words)).toBe('Yesterday');
    // (ICU versions differ on the comma after the weekday.)
    expect(dayLabel(new Date(2026, 11, 1, 10, 0).toISOString(), now, 'en', words)).toMatch(/^Tuesday,? 1 December 2026$/);
    expect(dayLabel(new Date(2026, 11, 1, 10, 0).toISOString(), now, 'fr', { today: 'Aujourd’hui', yesterday: 'Hier' })).toBe('Mardi 1 décembre 2026');
  });
});

describe('thread date separators', () => {
  it('one separator per day, dated by when each message left (FR)', async () => {
    const today = new Date();
    const twoDaysAgo = new Date(today.getTime() - 2 * 86_400_000);
    const old = message({ id: '00000000-0000-4000-8000-0000000000a1', text: 'Avant-hier', createdAt: twoDaysAgo.toISOString(), sentAt: twoDaysAgo.toISOString() });
    const older2 = message({ id: '00000000-0000-4000-8000-0000000000a2', text: 'Encore avant-hier', createdAt: twoDaysAgo.toISOString(), sentAt: new Date(twoDaysAgo.getTime() + 1000).toISOString() });
    const now = message({ id: '00000000-0000-4000-8000-0000000000a3', text: 'Aujourd’hui', createdAt: today.toISOString(), sentAt: today.toISOString() });
    fakeServer(({ path }) => {
      if (path.startsWith(`/api/v1/conversations/${conversation.id}/messages`)) return { body: { items: [now, older2, old], nextCursor: null } };
    });
    renderWithProviders(<Thread session={session} conversation={conversation} channel={channel} panelOpen={false} onTogglePanel={undefined} />, 'fr');
    await waitFor(() => expect(document.querySelectorAll('.bubble')).toHaveLength(3));
    const separators = [...document.querySelectorAll('.day-separator')].map((el) => el.textContent);
    expect(separators).toHaveLength(2);
    expect(separators[1]).toBe('Aujourd’hui');
    expect(separators[0]).toMatch(/^[A-Z]\p{L}+ \d{1,2} \p{L}+ \d{4}$/u);
    // Each separator comes right before the first message of its day.
    const items = [...document.querySelectorAll('ol.messages > li')].map((li) => (li.classList.contains('day-separator') ? 'day' : li.querySelector('.text')?.textContent));
    expect(items.filter((x) => x !== undefined)).toEqual(['day', 'Avant-hier', 'Encore avant-hier', 'day', 'Aujourd’hui']);
  });
});
