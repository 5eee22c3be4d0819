import { createHash } from 'node:crypto';
import type { StoredMediaRef } from '../../domain/inbound-content.ts';

/**
 * Evolution sends media inline, base64 in the webhook body (`data.message.base64`, or inside the
 * media part in some releases), when the instance's "webhook base64" is on. The route takes the
 * bytes out before anything else is stored: they go to the media store once (by SHA-256), and
 * the body kept as evidence carries this marker in their place.
 */
const MARKER = /^errata-media:sha256:([0-9a-f]{64}):(\d{1,12})$/;

export function storedMediaMarker(ref: StoredMediaRef): string {
  return `errata-media:sha256:${ref.sha256}:${ref.size}`;
}

export function parseStoredMediaMarker(value: unknown): StoredMediaRef | null {
  if (typeof value !== 'string') return null;
  const m = MARKER.exec(value);
  return m ? { sha256: m[1]!, size: Number(m[2]) } : null;
}

export interface ExtractedMedia extends StoredMediaRef {
  bytes: Buffer;
  mimeType: string | null;
}

const MEDIA_PARTS = ['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'];
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Takes base64 media out of an Evolution webhook body (in place) and answers the bytes. */
export function extractEvolutionMedia(body: unknown): ExtractedMedia[] {
  const out: ExtractedMedia[] = [];
  const data = (body as { data?: unknown } | null)?.data;
  for (const item of (Array.isArray(data) ? data : [data]).slice(0, 1_000)) {
    const message = (item as { message?: unknown } | null)?.message;
    if (!message || typeof message !== 'object') continue;
    const msg = message as Record<string, unknown>;
    const part = MEDIA_PARTS.map((k) => msg[k]).find((p) => p && typeof p === 'object') as Record<string, unknown> | undefined;
    const mime = typeof part?.mimetype === 'string' ? part.mimetype.slice(0, 200) : null;
    for (const holder of [msg, part]) {
      if (!holder || typeof holder.base64 !== 'string' || holder.base64.length === 0) continue;
      const text = holder.base64.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
      if (!BASE64.test(text)) continue;
      const bytes = Buffer.from(text, 'base64');
      const ref = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
      holder.base64 = storedMediaMarker(ref);
      out.push({ ...ref, bytes, mimeType: mime });
    }
  }
  return out;
}

/**
 * What a body too large to read still tells: the message key, from the first bytes (Evolution
 * writes `data.key` before the media). Enough to record that something arrived, and from whom.
 */
export function sniffEvolutionKey(prefix: string): { remoteJid: string; id: string; fromMe: boolean; remoteJidAlt?: string; pushName?: string } | null {
  const field = (name: string) => new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]{1,300})"`).exec(prefix)?.[1];
  const event = field('event');
  if (event && !/^messages[._-]upsert$/i.test(event)) return null;
  const remoteJid = field('remoteJid');
  const id = field('id');
  if (!remoteJid || !id) return null;
  const fromMe = /"fromMe"\s*:\s*true/.test(prefix);
  const alt = field('remoteJidAlt');
  const pushName = field('pushName');
  return { remoteJid, id, fromMe, ...(alt ? { remoteJidAlt: alt } : {}), ...(pushName ? { pushName } : {}) };
}
