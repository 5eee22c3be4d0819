import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

// The library's byte mode keeps only each character's low byte; authenticator apps read bytes as
// UTF-8 (an issuer or account name may carry accents), so encode them as such.
qrcode.stringToBytes = (s: string) => Array.from(new TextEncoder().encode(s));

/** Quiet zone around the code, in modules (the QR specification asks for 4). */
const MARGIN = 4;

/** The code's dark modules as one SVG path (a square per module), and its size with the quiet zone. */
export function qrPath(text: string): { d: string; size: number } {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  let d = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) d += `M${col + MARGIN} ${row + MARGIN}h1v1h-1z`;
  }
  return { d, size: count + 2 * MARGIN };
}

/**
 * The QR code of the `otpauth://` link, drawn in the browser as SVG: the secret it carries never
 * goes to another server, and nothing inline needs a CSP exception. Its text alternative points to
 * the key printed beside it, for typing it in by hand.
 */
export default function TotpQr({ url, label }: { url: string; label: string }) {
  const { d, size } = useMemo(() => qrPath(url), [url]);
  return (
    <svg className="totp-qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} width={size * 5} height={size * 5} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
