import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState, useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InboxFilters } from './InboxFilters.tsx';
import { NoteItem, ThreadComposer } from './Notes.tsx';
import { alertFor } from './notify.ts';
import { translate } from './i18n.tsx';
import type { ConversationFilters } from './queries.ts';
import { channel, conversation, fakeServer, renderWithProviders, session } from './test/harness.tsx';
import { snoozeEnd, ThreadWorkflow } from './ThreadWorkflow.tsx';
import type { Conversation, Finding, Note } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const bob = { id: '00000000-0000-4000-8000-0000000000b0', name: 'Bob Agent', email: 'bob@x.test', role: 'agent', active: true };
const sue = { id: '00000000-0000-4000-8000-0000000000c0', name: 'Sue Supervisor', email: 'sue@x.test', role: 'supervisor', active: true };
const otto = { id: '00000000-0000-4000-8000-0000000000d0', name: 'Otto Auditor', email: 'otto@x.test', role: 'auditor', active: true };
const users = [{ ...session.user, active: true }, bob, sue, otto];

/** A server that keeps one conversation and applies the workflow actions to it. */
function workflowServer(start: Partial<Conversation> = {}) {
  let current: Conversation = { ...conversation, ...start };
  const listeners = new Set<() => void>();
  const server = fakeServer(({ method, path, body }) => {
    if (path === '/api/v1/users') return { body: { items: users } };
    if (path === '/api/v1/labels') return { body: { items: [{ label: 'VIP', count: 3 }] } };
    const action = path.match(/^\/api\/v1\/conversations\/[^/]+\/(status|assign|labels)$/)?.[1];
    if (method === 'POST' && action) {
      const b = body as Record<string, unknown>;
      if (action === 'status') current = { ...current, status: b.status as Conversation['status'], snoozedUntil: (b.snoozeUntil as string) ?? null };
      if (action === 'assign') current = { ...current, assigneeId: b.userId as string | null };
      if (action === 'labels') current = { ...current, labels: b.labels as string[] };
      for (const listener of listeners) listener();
      return { body: current };
    }
  });
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { server, current: () => current, subscribe };
}

/** The bar with the conversation as the server now has it (the query cache's job in the app). */
function Live({ state, who }: { state: ReturnType<typeof workflowServer>; who: typeof session }) {
  const current = useSyncExternalStore(state.subscribe, state.current);
  return <ThreadWorkflow session={who} conversation={current} />;
}

function renderWorkflow(state: ReturnType<typeof workflowServer>, who = session) {
  renderWithProviders(<Live state={state} who={who} />);
}

describe('ThreadWorkflow', () => {
  it('changes status, snoozes for a chosen time, and resolves, with labelled controls', async () => {
    const state = workflowServer();
    renderWorkflow(state);
    const status = screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement;
    expect(status.value).toBe('open');
    fireEvent.change(status, { target: { value: 'pending' } });
    await waitFor(() => expect(state.current().status).toBe('pending'));
    fireEvent.change(status, { target: { value: 'snoozed' } });
    const snoozeFor = await screen.findByRole('combobox', { name: 'Snooze for' });
    fireEvent.change(snoozeFor, { target: { value: '4h' } });
    const before = Date.now();
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }));
    await waitFor(() => expect(state.current().status).toBe('snoozed'));
    const until = Date.parse(state.current().snoozedUntil!);
    expect(until - before).toBeGreaterThanOrEqual(4 * 3_600_000 - 1000);
    expect(until - before).toBeLessThan(4 * 3_600_000 + 5_000);
    // The bar is busy until the snooze's answer is shown: wait for Resolve to be there and enabled.
    const resolve = (await screen.findByRole('button', { name: 'Resolve' })) as HTMLButtonElement;
    await waitFor(() => expect(resolve.disabled).toBe(false));
    fireEvent.click(resolve);
    await waitFor(() => expect(state.current().status).toBe('resolved'));
  });

  it('an agent assigns to themselves; colleagues are not offered; a refusal is shown beside the controls', async () => {
    const state = workflowServer();
    renderWorkflow(state);
    const picker = (await screen.findByRole('combobox', { name: 'Assigned to' })) as HTMLSelectElement;
    await screen.findByRole('option', { name: 'Bob Agent' });
    expect((screen.getByRole('option', { name: 'Bob Agent' }) as HTMLOptionElement).disabled).toBe(true);
    // Auditors are never assignees.
    expect(screen.queryByRole('option', { name: 'Otto Auditor' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(state.current().assigneeId).toBe(session.user.id));
    expect(picker.value).toBe(session.user.id);
    expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull();

    fakeServer(({ path }) => {
      if (path === '/api/v1/users') return { body: { items: users } };
      if (path.endsWith('/assign')) return { status: 403, body: { error: { code: 'forbidden', message: 'You are not allowed to do this.' } } };
    });
    fireEvent.change(picker, { target: { value: '' } });
    expect((await screen.findByRole('alert')).textContent).toBe('You are not allowed to do this.');
  });

  it('adds and removes labels (the whole set is sent), suggesting the workspace’s labels', async () => {
    const state = workflowServer({ labels: ['Billing'] });
    renderWorkflow(state);
    fireEvent.click(screen.getByRole('button', { name: 'Edit labels' }));
    const input = screen.getByRole('combobox', { name: 'Add a label' });
    await waitFor(() => expect(document.querySelector('datalist option[value="VIP"]')).toBeTruthy());
    fireEvent.change(input, { target: { value: 'VIP' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(state.current().labels).toEqual(['Billing', 'VIP']));
    const remove = screen.getByRole('button', { name: 'Remove the label Billing' }) as HTMLButtonElement;
    // Enabled again once the previous change answered.
    await waitFor(() => expect(remove.disabled).toBe(false));
    fireEvent.click(remove);
    await waitFor(() => expect(state.current().labels).toEqual(['VIP']));
    const list = screen.getByRole('list', { name: 'Labels' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['VIP×']);
  });

  it('auditors see the workflow read-only; French labels', async () => {
    const state = workflowServer({ status: 'resolved' });
    const auditor = { ...session, user: { ...session.user, role: 'auditor' as const } };
    renderWithProviders(<ThreadWorkflow session={auditor} conversation={state.current()} />, 'fr');
    expect((screen.getByRole('combobox', { name: 'Statut' }) as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByRole('combobox', { name: 'Attribuée à' }) as HTMLSelectElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Rouvrir' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Modifier les étiquettes' })).toBeNull();
  });

  it('"tomorrow" snoozes until 9:00 local time the next day', () => {
    const end = snoozeEnd('tomorrow', new Date(2026, 2, 2, 22, 30));
    expect([end.getDate(), end.getHours(), end.getMinutes()]).toEqual([3, 9, 0]);
  });
});

/** The filters with their state, as the inbox holds them. */
function Filters({ onValue }: { onValue: (value: ConversationFilters) => void }) {
  const [filters, setFilters] = useState<ConversationFilters>({});
  onValue(filters);
  return <InboxFilters value={filters} onChange={setFilters} />;
}

describe('InboxFilters', () => {
  it('Mine / Unassigned / All and a status, as the list query wants them', async () => {
    fakeServer(({ path }) => (path === '/api/v1/labels' ? { body: { items: [{ label: 'VIP', count: 2 }] } } : undefined));
    let value: ConversationFilters = {};
    renderWithProviders(
      <Filters
        onValue={(v) => {
          value = v;
        }}
      />,
    );
    expect((screen.getByRole('radio', { name: 'All' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Mine' }));
    expect(value).toEqual({ assignee: 'me' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'resolved' } });
    expect(value).toEqual({ assignee: 'me', status: 'resolved' });
    fireEvent.change(await screen.findByRole('combobox', { name: 'Label' }), { target: { value: 'VIP' } });
    expect(value).toEqual({ assignee: 'me', status: 'resolved', label: 'VIP' });
    fireEvent.click(screen.getByRole('radio', { name: 'Unassigned' }));
    expect(value.assignee).toBe('unassigned');
    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    expect(value.assignee).toBeUndefined();
  });
});

const internalNoteFinding: Finding = {
  kind: 'recipient.internal_note',
  category: 'recipient',
  severity: 'warn',
  start: 0,
  end: 40,
  message: 'This looks like an internal note to a colleague, not a message to the customer.',
  action: 'warn',
};

describe('notes in the thread', () => {
  it('the composer toggles between a reply and an internal note; a note posts to /notes, never to /messages', async () => {
    const server = fakeServer(({ method, path, body }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 0 } };
      if (method === 'POST' && path.endsWith('/notes')) {
        return { status: 201, body: { kind: 'note', id: 'n1', conversationId: conversation.id, authorUserId: session.user.id, text: (body as { text: string }).text, mentions: [], createdAt: '2026-03-02T10:00:00.000Z' } };
      }
    });
    renderWithProviders(<ThreadComposer session={session} conversation={conversation} channel={channel} />);
    expect(screen.getByRole('textbox', { name: 'Message to James Carter' })).toBeTruthy();
    const noteMode = screen.getByRole('button', { name: 'Internal note' });
    expect(noteMode.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(noteMode);
    expect(noteMode.getAttribute('aria-pressed')).toBe('true');
    const box = screen.getByRole('textbox', { name: 'Internal note about James Carter (the team only)' });
    expect(document.activeElement).toBe(box);
    fireEvent.change(box, { target: { value: '@Bob Agent can you call him back?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post note' }));
    await screen.findByText('Note posted.');
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(server.calls.filter((c) => c.method === 'POST' && c.path !== '/api/v1/guard/check').map((c) => [c.path, c.body])).toEqual([
      [`/api/v1/conversations/${conversation.id}/notes`, { text: '@Bob Agent can you call him back?' }],
    ]);
  });

  it('"Post as internal note instead" on a note meant for a colleague posts the draft as a note and clears the composer', async () => {
    const draft = 'Tom, this customer keeps changing the order, can you deal with him?';
    const server = fakeServer(({ method, path }) => {
      if (path === '/api/v1/guard/check') return { body: { verdict: 'warn', findings: [internalNoteFinding], holdSeconds: 0 } };
      if (method === 'POST' && path.endsWith('/notes')) {
        return { status: 201, body: { kind: 'note', id: 'n2', conversationId: conversation.id, authorUserId: session.user.id, text: draft, mentions: [], createdAt: '2026-03-02T10:00:00.000Z' } };
      }
    });
    renderWithProviders(<ThreadComposer session={session} conversation={conversation} channel={channel} />);
    const box = screen.getByRole('textbox', { name: 'Message to James Carter' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: draft } });
    const offer = await screen.findByRole('button', { name: 'Post as internal note instead' });
    await act(async () => {
      fireEvent.click(offer);
    });
    await screen.findByText('Posted as an internal note: nothing was sent to the customer.');
    expect(box.value).toBe('');
    const posts = server.calls.filter((c) => c.method === 'POST' && c.path !== '/api/v1/guard/check');
    expect(posts.map((c) => c.path)).toEqual([`/api/v1/conversations/${conversation.id}/notes`]);
    expect(posts[0]!.body).toEqual({ text: draft });
  });

  it('no such offer on other findings, nor for auditors (who write no notes)', async () => {
    fakeServer(({ path }) => (path === '/api/v1/guard/check' ? { body: { verdict: 'warn', findings: [internalNoteFinding], holdSeconds: 0 } } : undefined));
    const auditor = { ...session, user: { ...session.user, role: 'auditor' as const } };
    renderWithProviders(<ThreadComposer session={auditor} conversation={conversation} channel={channel} />);
    expect(screen.queryByRole('button', { name: 'Internal note' })).toBeNull();
    fireEvent.change(screen.getByRole('textbox', { name: 'Message to James Carter' }), { target: { value: 'Tom, can you deal with him?' } });
    await screen.findByText(internalNoteFinding.message, { exact: false });
    expect(screen.queryByRole('button', { name: 'Post as internal note instead' })).toBeNull();
  });

  it('a note is shown apart, with its author, in French too', async () => {
    fakeServer(({ path }) => (path === '/api/v1/users' ? { body: { items: users } } : undefined));
    const note: Note = { kind: 'note', id: '00000000-0000-4000-8000-0000000000e0', conversationId: conversation.id, authorUserId: bob.id, text: 'Hi @Sue Supervisor and @Alice see this', mentions: [session.user.id, sue.id], createdAt: '2026-03-02T10:00:00.000Z' };
    renderWithProviders(
      <ol>
        <NoteItem note={note} />
      </ol>,
      'fr',
    );
    const item = await screen.findByRole('listitem', { name: 'Note interne de Bob Agent' });
    expect(item.className).toContain('note');
    await waitFor(() => expect([...item.querySelectorAll('.mention')].map((m) => m.textContent)).toEqual(['@Sue Supervisor', '@Alice']));
    expect(item.textContent).toContain('Mentionné(s) : Alice Agent, Sue Supervisor');
  });
});

describe('mention notifications', () => {
  const event = { type: 'note.mentioned', workspaceId: 'w', conversationId: 'c1', messageId: null, at: '2026-03-02T10:00:00Z', data: { noteId: 'n1', userIds: ['u-me'] } };
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate('en', key, vars);
  it('alerts only the people mentioned', () => {
    expect(alertFor(event, { reviewer: false, t, userId: 'u-me', contactName: 'James' })).toEqual({
      title: 'You were mentioned in a note about James',
      tag: 'note-n1',
      conversationId: 'c1',
    });
    expect(alertFor(event, { reviewer: true, t, userId: 'u-other' })).toBeNull();
    expect(alertFor(event, { reviewer: false, t })).toBeNull();
  });
});
