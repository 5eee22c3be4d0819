import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer.tsx';
import { channel, conversation, message, renderWithProviders, session } from './test/harness.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

interface Seen {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A server that answers the guard, the upload and the send; uploads are kept as they arrived. */
function server() {
  const seen: Seen[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), 'http://localhost').pathname;
      const raw = init?.body;
      const body = typeof raw === 'string' ? JSON.parse(raw) : raw;
      seen.push({ path, headers: (init?.headers ?? {}) as Record<string, string>, body });
      const json = (status: number, b: unknown) => new Response(JSON.stringify(b), { status, headers: { 'content-type': 'application/json' } });
      if (path === '/api/v1/guard/check') return json(200, { verdict: 'pass', findings: [], holdSeconds: 0 });
      if (path === '/api/v1/media') return json(201, { id: 'f'.repeat(64), mimeType: 'image/png', kind: 'image', size: 4 });
      if (path === '/api/v1/messages') return json(202, message({ id: 'm-media', status: 'queued', contentType: 'image' }));
      return json(404, { error: { code: 'not_found', message: 'Not found.' } });
    }),
  );
  return seen;
}

const file = (name: string, type: string, size = 4) => {
  const f = new File([new Uint8Array(size)], name, { type });
  if (size > 1024) Object.defineProperty(f, 'size', { value: size });
  return f;
};

function composer(lang: 'en' | 'fr' = 'en') {
  renderWithProviders(<Composer session={session} conversation={conversation} channel={channel} />, lang);
  return document.querySelector('input[type=file]') as HTMLInputElement;
}

describe('Composer: attachments and emoji', () => {
  it('tells the limits before anything is chosen, refuses a program or an oversized image without uploading', async () => {
    const seen = server();
    const input = composer();
    const attach = screen.getByRole('button', { name: 'Attach a file' });
    expect(attach.getAttribute('aria-describedby')).toBe(input.getAttribute('aria-describedby'));
    expect(document.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Images: JPEG or PNG up to 5 MB. Documents: PDF, text, Word, Excel or PowerPoint up to 16 MB.',
    );
    fireEvent.change(input, { target: { files: [file('setup.exe', 'application/x-msdownload')] } });
    expect((await screen.findByRole('alert')).textContent).toContain('“setup.exe” cannot be sent');
    fireEvent.change(input, { target: { files: [file('big.png', 'image/png', 6 * 1024 * 1024)] } });
    expect((await screen.findByRole('alert')).textContent).toBe('“big.png” is too large (6.0 MB): images may be at most 5 MB.');
    expect(seen.filter((s) => s.path === '/api/v1/media')).toHaveLength(0);
  });

  it('previews the file, can remove it, then uploads it and sends it with the caption', async () => {
    const seen = server();
    const input = composer();
    fireEvent.change(input, { target: { files: [file('photo.png', 'image/png')] } });
    expect(await screen.findByRole('group', { name: 'Attached: photo.png (4 bytes)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove the attachment photo.png' }));
    expect(screen.queryByRole('group', { name: /Attached/ })).toBeNull();
    // Sending is possible with the file alone (no caption).
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { files: [file('photo.png', 'image/png')] } });
    await screen.findByRole('group', { name: /Attached/ });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message to James Carter' }), { target: { value: 'Votre colis' } });
    await waitFor(() => expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(seen.some((s) => s.path === '/api/v1/messages')).toBe(true));
    const upload = seen.find((s) => s.path === '/api/v1/media')!;
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.headers['x-errata-csrf']).toBe('1');
    expect(upload.body).toBeInstanceOf(File);
    expect(seen.find((s) => s.path === '/api/v1/messages')!.body).toMatchObject({ text: 'Votre colis', media: { id: 'f'.repeat(64), filename: 'photo.png' } });
    await waitFor(() => expect(screen.queryByRole('group', { name: /Attached/ })).toBeNull());
  });

  it('emoji: opens a named grid (French), moves with the arrow keys, inserts at the cursor, Escape gives focus back', async () => {
    server();
    composer('fr');
    const box = screen.getByRole('textbox', { name: /Message à James Carter/ }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Merci !' } });
    box.setSelectionRange(5, 5);
    const open = screen.getByRole('button', { name: 'Insérer un emoji' });
    fireEvent.click(open);
    const first = await screen.findByRole('button', { name: 'visage souriant' });
    await waitFor(() => expect(document.activeElement).toBe(first));
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'visage rayonnant' }));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'mains jointes (merci, s’il vous plaît)' }));
    fireEvent.click(document.activeElement!);
    expect(box.value).toBe('Merci🙏 !');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('group', { name: 'Emoji' })).toBeNull();
    expect(document.activeElement).toBe(open);
  });
});
