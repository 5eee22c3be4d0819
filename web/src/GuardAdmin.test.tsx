import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import GuardAdmin from './GuardAdmin.tsx';
import { fakeServer, renderWithProviders } from './test/harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const entry = {
  id: '00000000-0000-4000-8000-0000000000a1',
  text: 'balayage',
  kind: 'spelling.word',
  category: null,
  createdBy: '00000000-0000-4000-8000-000000000001',
  createdAt: '2026-03-02T10:00:00.000Z',
  removedAt: null,
  removedBy: null,
};

describe('Checks page (admins)', () => {
  it('lists proposals, the allow-list and false-alarm rates; accepting a proposal adds it, Remove removes', async () => {
    const server = fakeServer(({ method, path }) => {
      if (method === 'GET' && path === '/api/v1/guard/allowlist?proposals=1')
        return { body: { items: [entry], proposals: [{ text: 'As agreed', kind: 'tone.blaming', category: 'tone', count: 3, reporters: 2, lastAt: entry.createdAt, glossary: false }] } };
      if (path === '/api/v1/guard/feedback/stats')
        return { body: { since: entry.createdAt, kinds: [{ kind: 'tone.blaming', category: 'tone', falseAlarms: 3, missed: 0, findings: 12, falseAlarmRate: 0.25 }] } };
      if (method === 'POST' && path === '/api/v1/guard/allowlist') return { status: 201, body: { ...entry, text: 'As agreed' } };
      if (method === 'DELETE') return { body: { ...entry, removedAt: entry.createdAt, removedBy: entry.createdBy } };
    });
    renderWithProviders(<GuardAdmin />);
    const proposals = await screen.findByRole('region', { name: 'Proposed for the allow-list' });
    expect(proposals.textContent).toContain('reported 3 times by 2');
    fireEvent.click(within(proposals).getByRole('button', { name: 'Add to the allow-list' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ text: 'As agreed', kind: 'tone.blaming' }));
    const list = screen.getByRole('region', { name: 'Allow-list and glossary' });
    expect(list.textContent).toContain('Applies to: glossary (spelling)');
    fireEvent.click(within(list).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'DELETE' && c.path === `/api/v1/guard/allowlist/${entry.id}`)).toBe(true));
    const rates = await screen.findByRole('table');
    expect(within(rates).getByRole('row', { name: /tone\.blaming/ }).textContent).toContain('25%');
    expect(screen.getByRole('link', { name: /JSON Lines/ }).getAttribute('href')).toBe('/api/v1/guard/feedback/export');
  });
});
