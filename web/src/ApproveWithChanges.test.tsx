import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Approvals from './Approvals.tsx';
import { Composer } from './Composer.tsx';
import { channel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import { Thread } from './Thread.tsx';
import type { Finding, Message, Session } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const supervisor: Session = { ...session, user: { id: '00000000-0000-4000-8000-0000000000a2', name: 'Sam Supervisor', email: 'sam@x.test', role: 'supervisor' } };
const users = [session.user, supervisor.user];
const phone: Finding = { kind: 'pii.phone', category: 'pii', severity: 'warn', start: 33, end: 50, message: 'A phone number', action: 'review' };
const written = 'Call my colleague Marc directly: +33 6 12 34 56 78.';
const awaiting = message({
  status: 'awaiting_approval',
  text: written,
  sentAt: null,
  guard: { verdict: 'review', findings: [phone], acknowledged: [] },
  approval: { requestedAt: new Date().toISOString(), decision: null, decidedBy: null, decidedAt: null, reason: null, changedByReviewer: false },
});

describe('Send for approval', () => {
  for (const [lang, label] of [
    ['en', 'Send for approval'],
    ['fr', 'Envoyer pour validation'],
  ] as const) {
    it(`says "${label}" when the policy will hold the message for a reviewer (${lang})`, async () => {
      fakeServer(({ path }) => {
        if (path === '/api/v1/guard/check') return { body: { verdict: 'review', findings: [phone], holdSeconds: 10 } };
      });
      renderWithProviders(<Composer session={session} conversation={conversation} channel={channel} />, lang);
      fireEvent.change(screen.getByRole('textbox'), { target: { value: written } });
      await screen.findByRole('button', { name: label });
    });
  }
});

describe('Approve with changes', () => {
  it('the reviewer edits the draft and approves it: the POST carries the new text', async () => {
    const { calls } = fakeServer(({ method, path }) => {
      if (path === '/api/v1/approvals') return { body: { items: [awaiting] } };
      if (path === '/api/v1/users') return { body: { items: users } };
      if (path.startsWith('/api/v1/contacts/')) return { body: { id: conversation.contact.id, name: 'James Carter', phone: null, identities: [], language: 'en', createdAt: '' } };
      if (method === 'POST' && path === `/api/v1/messages/${awaiting.id}/approve`) return { body: { ...awaiting, status: 'queued' } };
    });
    renderWithProviders(<Approvals session={supervisor} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit and approve' }));
    const box = screen.getByLabelText(/^Text that will be sent/) as HTMLTextAreaElement;
    expect(box.value).toBe(written);
    expect(document.activeElement).toBe(box);
    const confirm = screen.getByRole('button', { name: 'Approve with changes' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true); // unchanged: that is a plain approval
    fireEvent.change(box, { target: { value: 'Marc will call you back today.' } });
    fireEvent.click(confirm);
    await screen.findByText('Approved with your changes.');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ text: 'Marc will call you back today.' });
  });

  it('in French, and cancelling the changes returns to the actions without sending', async () => {
    const { calls } = fakeServer(({ path }) => {
      if (path === '/api/v1/approvals') return { body: { items: [awaiting] } };
      if (path === '/api/v1/users') return { body: { items: users } };
    });
    renderWithProviders(<Approvals session={supervisor} />, 'fr');
    const edit = await screen.findByRole('button', { name: 'Modifier et valider' });
    fireEvent.click(edit);
    screen.getByRole('button', { name: 'Valider avec modifications' });
    fireEvent.click(screen.getByRole('button', { name: 'Annuler les modifications' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Modifier et valider' })));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});

describe('the author sees what the reviewer did', () => {
  async function bubble(m: Message, lang: 'en' | 'fr' = 'en') {
    fakeServer(({ path }) => {
      if (path.startsWith(`/api/v1/conversations/${conversation.id}/messages`)) return { body: { items: [m], nextCursor: null } };
      if (path === '/api/v1/users') return { body: { items: users } };
    });
    renderWithProviders(<Thread session={session} conversation={conversation} channel={channel} panelOpen={false} onTogglePanel={undefined} />, lang);
    await waitFor(() => expect(document.querySelector('.bubble')).toBeTruthy());
    return document.querySelector<HTMLElement>('.bubble')!;
  }

  it('who rejected it and why (EN, FR)', async () => {
    const rejected = { ...awaiting, status: 'rejected', approval: { ...awaiting.approval!, decision: 'rejected' as const, decidedBy: supervisor.user.id, decidedAt: new Date().toISOString(), reason: 'No private numbers' } };
    const en = await bubble(rejected);
    await waitFor(() => expect(en.textContent).toContain('Rejected by Sam Supervisor: No private numbers'));
    cleanup();
    const fr = await bubble(rejected, 'fr');
    await waitFor(() => expect(fr.textContent).toContain('Refusé par Sam Supervisor : No private numbers'));
  });

  it('approved with changes: the reviewer’s name and the author’s text under a disclosure', async () => {
    const changed = 'Marc will call you back today.';
    const approved = message({
      text: changed,
      version: 2,
      approval: { ...awaiting.approval!, decision: 'approved', decidedBy: supervisor.user.id, decidedAt: new Date().toISOString(), changedByReviewer: true },
      versions: [
        { version: 1, text: written, createdAt: new Date().toISOString(), createdBy: session.user.id },
        { version: 2, text: changed, createdAt: new Date().toISOString(), createdBy: supervisor.user.id },
      ],
    });
    const el = await bubble(approved);
    await waitFor(() => expect(el.textContent).toContain('Approved with changes by Sam Supervisor'));
    const details = el.querySelector('.approved-changes details') as HTMLDetailsElement;
    expect(details.querySelector('summary')?.textContent).toBe('Text as written by its author');
    expect(details.textContent).toContain(written);
    expect(el.querySelector('.edited')).toBeNull();
  });
});
