import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import jsQR from 'jsqr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Security from './Security.tsx';
import { fakeServer, renderWithProviders } from './test/harness.tsx';
import TotpQr from './TotpQr.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/**
 * Reads a drawn code back as a phone would: the SVG's squares rasterised (4 px a module) and
 * decoded by a QR reader that shares nothing with the library that drew it.
 */
function decode(svg: Element): string | null {
  const [, , size] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number);
  const d = svg.querySelector('path')?.getAttribute('d') ?? '';
  const scale = 4;
  const side = size! * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  let modules = 0;
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    modules++;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const at = ((Number(y) * scale + dy) * side + Number(x) * scale + dx) * 4;
        pixels.fill(0, at, at + 3);
      }
    }
  }
  expect(modules).toBeGreaterThan(100);
  return jsQR(pixels, side, side)?.data ?? null;
}

// What POST /auth/totp/setup answers (the otpauth library percent-encodes label and issuer).
const otpauthUrl =
  'otpauth://totp/Caf%C3%A9%20Lumi%C3%A8re:ada%40example.fr?issuer=Caf%C3%A9%20Lumi%C3%A8re&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30';

function serve() {
  return fakeServer(({ method, path }) => {
    if (path === '/api/v1/auth/totp') return { body: { enabled: false, required: false, recoveryCodesLeft: 0 } };
    if (path.startsWith('/api/v1/tokens')) return { body: { items: [] } };
    if (path === '/api/v1/auth/totp/setup' && method === 'POST') {
      return { body: { otpauthUrl, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', recoveryCodes: ['aaaa-bbbb-cccc'] } };
    }
  });
}

describe('Two-factor set-up: the QR code', () => {
  it('draws the exact otpauth URL of the set-up answer, with a text alternative; the key stays for typing', async () => {
    serve();
    renderWithProviders(<Security />);
    expect(screen.queryByRole('img')).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Set up' }));
    const qr = await screen.findByRole('img', { name: 'QR code for your authenticator app. Cannot scan it? Type the key shown below.' });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(decode(qr)).toBe(otpauthUrl);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    // Drawn in the page: no <img> whose address could carry the secret anywhere.
    expect(document.querySelector('img')).toBeNull();
  });

  it('in French', async () => {
    serve();
    renderWithProviders(<Security />, 'fr');
    fireEvent.click(await screen.findByRole('button', { name: 'Configurer' }));
    const qr = await screen.findByRole('img', { name: /^Code QR pour votre application d’authentification\./ });
    expect(decode(qr)).toBe(otpauthUrl);
  });

  it('a label with characters outside ASCII is encoded as UTF-8, as authenticator apps read it', () => {
    const raw = 'otpauth://totp/Café Lumière:zoë?secret=JBSWY3DPEHPK3PXP&issuer=Café Lumière';
    render(<TotpQr url={raw} label="QR" />);
    expect(decode(screen.getByRole('img', { name: 'QR' }))).toBe(raw);
  });
});
