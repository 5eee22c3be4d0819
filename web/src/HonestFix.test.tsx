import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { draftCorrection } from './correction.ts';
import FixDialog from './FixDialog.tsx';
import { channel, conversation, fakeServer, message, renderWithProviders, session } from './test/harness.tsx';
import type { Message } from './types.ts';

// Issue 11, defects 3–6 in the Fix dialog: what it says after a deletion or an edit matches each
// of the customer's devices, and a message awaiting approval is withdrawn, not corrected.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const m = message();
const pass = { body: { verdict: 'pass', findings: [], holdSeconds: 10 } };
const advice = (remedy: string, mistake = 'confidential') => ({
  body: { messageId: m.id, mistake, remedies: [{ remedy, rank: 1, reason: { en: 'Because.', fr: 'Parce que.' }, secondsLeft: null }] },
});
const revoked = (outcomes: { deviceLabel: string; outcome: 'applied' | 'pending' | 'ignored' | 'expired' | 'unknown' }[]): Message =>
  message({
    deletion: {
      scope: 'everyone',
      reason: 'wrong_price',
      note: null,
      at: new Date().toISOString(),
      by: session.user.id,
      outcomes: outcomes.map((o, i) => ({ deviceId: `d${i}`, deviceLabel: o.deviceLabel, outcome: o.outcome, resolvedAt: null })),
    },
    maybeSeen: outcomes.some((o) => o.outcome !== 'applied'),
    maybeSeenReasons: outcomes.some((o) => o.outcome === 'ignored') ? ['device_kept_original'] : [],
  });

function open(target: Message = m) {
  const onClose = vi.fn();
  renderWithProviders(<FixDialog message={target} conversation={conversation} session={session} channel={channel} onClose={onClose} />);
  return { d: screen.getByRole('dialog', { name: 'Fix this message' }), onClose };
}

async function deleteForEveryone(d: HTMLElement) {
  fireEvent.click(within(d).getByRole('radio', { name: 'A wrong price' }));
  fireEvent.click(await within(d).findByRole('button', { name: 'Delete for everyone, then send a correction' }));
  fireEvent.click(within(d).getByRole('button', { name: 'Delete for everyone' }));
  return (await within(d).findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
}

describe('after a deletion for everyone (defect 3)', () => {
  it('an outdated device kept the original: says so, per device, and the draft does not claim a tombstone', async () => {
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('delete_for_everyone_and_correct', 'wrong_price');
      if (method === 'POST' && path.endsWith('/delete')) return { body: revoked([{ deviceLabel: 'Téléphone', outcome: 'ignored' }]) };
      if (path === '/api/v1/guard/check') return pass;
    });
    const { d } = open();
    const box = await deleteForEveryone(d);
    const notice = within(d).getByText(/not every device removed it/);
    expect(notice.className).toBe('warning');
    expect(notice.textContent).toContain('Téléphone: not deleted — outdated app still shows the original');
    expect(within(d).queryByText(/Deleted for everyone/)).toBeNull();
    expect(box.value).not.toContain('This message was deleted');
    expect(box.value).toContain('if you still see it on one of your devices, please disregard it');
  });

  it('a device offline: pending, not "deleted"', async () => {
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('delete_for_everyone_and_correct', 'wrong_price');
      if (method === 'POST' && path.endsWith('/delete'))
        return { body: revoked([{ deviceLabel: 'Phone', outcome: 'applied' }, { deviceLabel: 'Laptop', outcome: 'pending' }]) };
      if (path === '/api/v1/guard/check') return pass;
    });
    const { d } = open();
    const box = await deleteForEveryone(d);
    expect(within(d).getByText(/not every device removed it/).textContent).toContain('Laptop: pending');
    expect(box.value).not.toContain('This message was deleted');
  });

  it('every device applied it: says deleted on all of them, and the draft may mention the tombstone', async () => {
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('delete_for_everyone_and_correct', 'wrong_price');
      if (method === 'POST' && path.endsWith('/delete'))
        return { body: revoked([{ deviceLabel: 'Phone', outcome: 'applied' }, { deviceLabel: 'Tablet', outcome: 'applied' }]) };
      if (path === '/api/v1/guard/check') return pass;
    });
    const { d } = open();
    const box = await deleteForEveryone(d);
    expect(within(d).getByText('Deleted on all the customer’s devices (2). Now tell them what happened.').className).toBe('success');
    expect(box.value).toContain('This message was deleted');
  });
});

describe('after an edit (defect 4)', () => {
  it('an outdated device still shows the previous text: the dialog stays open, says so and drafts a correction', async () => {
    fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('edit', 'typo');
      if (method === 'POST' && path.endsWith('/edit'))
        return {
          body: message({
            edited: true,
            text: 'Your code is 4513',
            editOutcomes: [
              { deviceId: 'd1', deviceLabel: 'Phone', outcome: 'applied' },
              { deviceId: 'd2', deviceLabel: 'Old tablet', outcome: 'ignored' },
            ],
          }),
        };
      if (path === '/api/v1/guard/check') return pass;
    });
    const { d, onClose } = open();
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Edit the message' }));
    fireEvent.change(within(d).getByLabelText('Corrected text'), { target: { value: 'Your code is 4513' } });
    fireEvent.click(within(d).getByRole('button', { name: 'Save the edit' }));
    const box = (await within(d).findByRole('textbox', { name: 'Message to James Carter' })) as HTMLTextAreaElement;
    expect(within(d).getByText(/not every device shows the new text/).textContent).toContain('Old tablet: not edited — outdated app still shows the previous text');
    expect(box.value).toContain('if you still see the previous version');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('a message awaiting approval (defect 5)', () => {
  it('offers to withdraw it, and withdrawing says the customer never received it', async () => {
    const waiting = message({ status: 'awaiting_approval', sentAt: null, revocableUntil: null, editableUntil: null });
    const server = fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('cancel', 'wrong_recipient');
      if (method === 'POST' && path.endsWith('/cancel')) return { body: { ...waiting, status: 'cancelled' } };
    });
    const { d, onClose } = open(waiting);
    fireEvent.click(within(d).getByRole('radio', { name: 'Sent to the wrong person' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Withdraw it' }));
    expect(within(d).queryByText(/correction/i)).toBeNull();
    fireEvent.click(within(d).getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.path === `/api/v1/messages/${m.id}/cancel`)).toBe(true));
    await screen.findByText('Withdrawn. The customer never received it.');
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('a rejected message is edited and resubmitted', async () => {
    const rejected = message({ status: 'rejected', sentAt: null, revocableUntil: null, editableUntil: null });
    const server = fakeServer(({ method, path }) => {
      if (path.includes('/remedies')) return advice('edit', 'confidential');
      if (method === 'POST' && path.endsWith('/edit')) return { body: { ...rejected, status: 'awaiting_approval', text: 'Call our shop.' } };
    });
    const { d } = open(rejected);
    fireEvent.click(within(d).getByRole('radio', { name: 'Confidential or personal data' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Edit and resubmit' }));
    fireEvent.change(within(d).getByLabelText('New text'), { target: { value: 'Call our shop.' } });
    fireEvent.click(within(d).getByRole('button', { name: 'Resubmit for approval' }));
    await waitFor(() => expect(server.calls.find((c) => c.path.endsWith('/edit'))?.body).toEqual({ text: 'Call our shop.' }));
    await screen.findByText('Sent again for approval.');
  });
});

describe('delete for me (defect 6)', () => {
  it('past the revoke window, does not promise delete for everyone later', async () => {
    const late = message({ revocableUntil: new Date(Date.now() - 1000).toISOString() });
    fakeServer(({ path }) => (path.includes('/remedies') ? advice('delete_for_me', 'typo') : undefined));
    const { d } = open(late);
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Delete for me only' }));
    expect(within(d).queryByText(/You can still delete it for everyone later/)).toBeNull();
    within(d).getByText(/It can no longer be deleted for everyone/);
  });

  it('within the window, still says it can be deleted for everyone later', async () => {
    fakeServer(({ path }) => (path.includes('/remedies') ? advice('delete_for_me', 'typo') : undefined));
    const { d } = open();
    fireEvent.click(within(d).getByRole('radio', { name: 'A typo' }));
    fireEvent.click(await within(d).findByRole('button', { name: 'Delete for me only' }));
    within(d).getByText(/You can still delete it for everyone later/);
  });
});

describe('the correction draft (defect 3)', () => {
  it('in French, claims the tombstone only when every device applied the deletion', () => {
    const all = draftCorrection({ language: 'fr', name: 'Claire Dubois', mistake: 'wrong_price', deleted: true, reach: 'all' });
    expect(all).toContain('« Ce message a été supprimé »');
    for (const reach of ['partial', 'unknown', 'none'] as const) {
      const draft = draftCorrection({ language: 'fr', name: 'Claire Dubois', mistake: 'wrong_price', deleted: true, reach });
      expect(draft).not.toContain('Ce message a été supprimé');
      expect(draft).toContain('si vous le voyez encore sur l’un de vos appareils');
    }
  });
});
