import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { draftCorrection } from './correction.ts';
import FixDialog from './FixDialog.tsx';
import { channel, cloudChannel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import type { Channel } from './types.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const m = message();
/** What the server answers after a delete for everyone: the outcome on each device (one `unknown` row on channels that confirm nothing). */
const revokedWith = (outcome: 'applied' | 'unknown') =>
  message({
    deletion: {
      scope: 'everyone',
      reason: 'confidential',
      note: null,
      at: new Date().toISOString(),
      by: null,
      outcomes: [{ deviceId: outcome === 'unknown' ? null : 'd1', deviceLabel: outcome === 'unknown' ? null : 'Phone', outcome, resolvedAt: null }],
    },
  });
const remedies = {
  messageId: m.id,
  mistake: 'confidential',
  remedies: [
    {
      remedy: 'delete_for_everyone_and_correct',
      rank: 1,
      reason: { en: 'Confidential data must go: delete it, then explain.', fr: 'Supprimez, puis expliquez.' },
      secondsLeft: 600,
    },
    { remedy: 'correct', rank: 2, reason: { en: 'A correction alone leaves the data in place.', fr: '…' }, secondsLeft: null },
  ],
};

function dialog(onClose = vi.fn(), on: Channel = channel) {
  renderWithProviders(<FixDialog message={m} conversation={conversation} session={session} channel={on} onClose={onClose} />);
  return screen.getByRole('dialog', { name: 'Fix this message' });
}

describe('Fix this message', () => {
  it('asks what went wrong, then lists the remedies ranked, explained and counting down', async () => {
    const server = fakeServer(({ path }) => (path.startsWith(`/api/v1/messages/${m.id}/remedies`) ? { body: remedies } : undefined));
    const d = dialog();
    expect(within(d).queryByText('Recommended fixes, best first')).toBeNull();
    fireEvent.click(within(d).getByRole('radio', { name: 'Confidential or personal data' }));
    const items = await within(d).findAllByRole('listitem');
    expect(server.calls[0]!.path).toBe(`/api/v1/messages/${m.id}/remedies?mistake=confidential`);
    expect(items[0]!.textContent).toContain('Delete for everyone, then send a correction');
    expect(items[0]!.textContent).toContain('Recommended');
    expect(items[0]!.textContent).toContain('Confidential data must go');
    expect(items[0]!.textContent).toMatch(/(10 min|9 min 5\d s) left/);
    expect(items[1]!.textContent).toContain('Send a correction message');
  });

  it('deletes for everyone with the mistake as the reason, then offers a prefilled correction to edit', async () => {
    const server = fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return { body: remedies };
      if (method === 'POST' && path === `/api/v1/messages/${m.id}/delete`) return { body: revokedWith('applied') };
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
    });
    const d = dialog();
    fireEvent.click(within(d).getByRole('radio', { name: 'Confidential or personal data' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Delete for everyone, then send a correction' }));
    fireEvent.change(within(d).getByLabelText('Note for the record (optional)'), { target: { value: 'door code' } });
    fireEvent.click(within(d).getByRole('button', { name: 'Delete for everyone' }));
    const box = (await within(d).findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    const del = server.calls.find((c) => c.path === `/api/v1/messages/${m.id}/delete`)!;
    expect(del.body).toEqual({ scope: 'everyone', reason: 'confidential', note: 'door code' });
    expect(del.headers['x-errata-csrf']).toBe('1');
    // Etiquette: the name, an apology, why it was removed, the right information to fill in.
    expect(box.value).toBe(draftCorrection({ language: 'en', name: 'James Carter', mistake: 'confidential', deleted: true, reach: 'all' }));
    expect(box.value).toContain('Hello James,');
    expect(box.value).toContain('We are sorry');
    expect(box.value).toContain('This message was deleted');
    const send = within(d).getByRole('button', { name: 'Send the correction' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.change(box, { target: { value: box.value.replace(/\[[^\]]*\]/g, 'the code is on its way by post') } });
    await waitFor(() => expect(send.disabled).toBe(false));
  });

  it('on a channel that confirms nothing, says the deletion was only requested', async () => {
    const evolution: Channel = { ...cloudChannel, type: 'evolution', capabilities: { deleteForEveryone: true, edit: true, confirmsRevoke: false } };
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return { body: remedies };
      if (method === 'POST' && path === `/api/v1/messages/${m.id}/delete`) return { body: revokedWith('unknown') };
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
    });
    const d = dialog(vi.fn(), evolution);
    fireEvent.click(within(d).getByRole('radio', { name: 'Confidential or personal data' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Delete for everyone, then send a correction' }));
    fireEvent.click(within(d).getByRole('button', { name: 'Delete for everyone' }));
    const notice = await within(d).findByText(
      'Deletion requested. This channel confirms nothing: the customer may still see the original. Now tell them what happened.',
    );
    expect(notice.className).toBe('warning');
  });

  it('past the window, shows the refusal and the correction composer instead', async () => {
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return { body: remedies };
      if (method === 'POST' && path.endsWith('/delete'))
        return {
          status: 409,
          body: { error: { code: 'revoke_window_expired', message: 'Too late to delete this message for everyone. Send a correction message instead.' } },
        };
      if (path === '/api/v1/guard/check') return { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
    });
    const d = dialog();
    fireEvent.click(within(d).getByRole('radio', { name: 'Confidential or personal data' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Delete for everyone, then send a correction' }));
    fireEvent.click(within(d).getByRole('button', { name: 'Delete for everyone' }));
    expect((await within(d).findByRole('alert')).textContent).toContain('Too late to delete this message for everyone');
    const box = (await within(d).findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    expect(box.value).toContain('Hello James,');
    expect(box.value).not.toContain('This message was deleted');
  });

  it('edits a typo in place', async () => {
    const server = fakeServer(({ method, path }) => {
      if (path.includes('/remedies'))
        return { body: { ...remedies, mistake: 'typo', remedies: [{ remedy: 'edit', rank: 1, reason: { en: 'Fix it in place.', fr: '…' }, secondsLeft: 300 }] } };
      if (method === 'POST' && path.endsWith('/edit')) return { body: message({ edited: true, text: 'Your code is 4513' }) };
    });
    const onClose = vi.fn();
    const d = dialog(onClose);
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Edit the message' }));
    fireEvent.change(within(d).getByLabelText('Corrected text'), { target: { value: 'Your code is 4513' } });
    fireEvent.click(within(d).getByRole('button', { name: 'Save the edit' }));
    await waitFor(() => expect(server.calls.find((c) => c.path.endsWith('/edit'))?.body).toEqual({ text: 'Your code is 4513' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('drafts the correction in the customer’s language', () => {
    const fr = draftCorrection({ language: 'fr', name: 'Léa Martin', mistake: 'wrong_price', deleted: false });
    expect(fr.startsWith('Bonjour Léa,')).toBe(true);
    expect(fr).toContain('Toutes nos excuses');
    expect(fr).toContain('[prix correct]');
    expect(fr).toContain('[geste commercial proposé]');
    expect(fr).not.toContain('Ce message a été supprimé');
    expect(draftCorrection({ language: 'fr', name: 'Léa', mistake: 'confidential', deleted: true })).toContain('« Ce message a été supprimé »');
  });
});
