import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { getMedia, storeMedia } from '../db/queries/webhook-delivery-queries.ts';
import { type Actor, canWrite } from '../domain/actor.ts';
import { decideMedia, type MediaCandidate, type OutboundMediaKind } from '../domain/media-policy.ts';
import { CommandError } from './command-error.ts';

export interface UploadedMedia {
  /** The file's SHA-256 (hex): the reference a message names to attach it. */
  id: string;
  mimeType: string;
  kind: OutboundMediaKind;
  size: number;
}

/** What the policy needs to know about some bytes: the type their first bytes say, and for text, whether it is text. */
export async function describeBytes(declaredType: string, bytes: Buffer): Promise<MediaCandidate> {
  // Loaded on first upload, not at every start.
  const sniffed = bytes.length > 0 ? await (await import('file-type')).fileTypeFromBuffer(bytes) : undefined;
  let text: MediaCandidate['text'] = null;
  if (!sniffed) {
    const head = bytes.subarray(0, 64 * 1024);
    let decoded = '';
    let utf8 = true;
    try {
      // A multi-byte character cut at 64 KiB is not a reason to refuse: `stream` keeps the tail.
      decoded = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < bytes.length });
    } catch {
      utf8 = false;
    }
    text = { utf8, controlChars: /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(decoded), head: decoded.slice(0, 4096) };
  }
  return { declaredType, size: bytes.length, sniffedType: sniffed?.mime ?? null, text };
}

/**
 * Stores a file the team wants to send, once it passed the content policy (allow-listed type,
 * size, magic bytes matching the declared type). Refused files are not stored at all. The same
 * bytes uploaded twice are one row (content-addressed).
 */
export async function uploadMedia(ctx: AppContext, input: { workspaceId: string; actor: Actor; declaredType: string; bytes: Buffer }): Promise<UploadedMedia> {
  if (!canWrite(input.actor)) throw new CommandError('forbidden');
  const decision = decideMedia(await describeBytes(input.declaredType, input.bytes));
  if (!decision.ok) throw new CommandError(decision.code, decision.message, { reason: decision.reason });
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  await storeMedia(ctx.db, [{ workspaceId: input.workspaceId, sha256, mimeType: decision.mimeType, bytes: input.bytes, at: ctx.clock.now() }]);
  return { id: sha256, mimeType: decision.mimeType, kind: decision.kind, size: input.bytes.length };
}

/** A stored upload, by reference, as the policy saw it (for `POST /messages` with `media`). */
export async function findUpload(ctx: AppContext, workspaceId: string, id: string) {
  const row = await getMedia(ctx.db, workspaceId, id);
  return row ?? null;
}
