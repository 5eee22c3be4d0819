import { describe, expect, it } from 'vitest';
import { cleanFilename, decideMedia, DOCUMENT_MAX_BYTES, IMAGE_MAX_BYTES, type MediaCandidate } from './media-policy.ts';

const text = (head: string): MediaCandidate['text'] => ({ utf8: true, controlChars: false, head });
const candidate = (c: Partial<MediaCandidate>): MediaCandidate => ({ declaredType: 'image/png', size: 100, sniffedType: 'image/png', text: null, ...c });

describe('media policy', () => {
  it('accepts allowed types whose bytes say the same, with their WhatsApp kind', () => {
    expect(decideMedia(candidate({}))).toEqual({ ok: true, mimeType: 'image/png', kind: 'image' });
    expect(decideMedia(candidate({ declaredType: 'IMAGE/JPEG; q=1', sniffedType: 'image/jpeg' }))).toMatchObject({ ok: true, mimeType: 'image/jpeg' });
    expect(decideMedia(candidate({ declaredType: 'application/msword', sniffedType: 'application/x-cfb' }))).toMatchObject({ ok: true, kind: 'document' });
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(decideMedia(candidate({ declaredType: docx, sniffedType: docx }))).toMatchObject({ ok: true, kind: 'document' });
    expect(decideMedia(candidate({ declaredType: 'text/plain', sniffedType: null, text: text('Bonjour <3, merci') }))).toMatchObject({ ok: true });
  });

  it('refuses a zip posing as a Word file, a program posing as a PDF, and an image with no recognisable bytes', () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(decideMedia(candidate({ declaredType: docx, sniffedType: 'application/zip' }))).toMatchObject({ ok: false, reason: 'mismatch', code: 'media_rejected' });
    expect(decideMedia(candidate({ declaredType: 'application/pdf', sniffedType: 'application/x-msdownload' }))).toMatchObject({ ok: false, reason: 'executable' });
    expect(decideMedia(candidate({ declaredType: 'application/msword', sniffedType: 'application/x-msi' }))).toMatchObject({ ok: false, reason: 'executable' });
    expect(decideMedia(candidate({ sniffedType: null }))).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('refuses markup and scripts in text, binary "text", and types outside the list', () => {
    for (const head of ['<!DOCTYPE html><p>x', 'hello <script>alert(1)</script>', '<svg onload=x>', '<?xml version="1.0"?>', '#!/bin/sh\nrm -rf /']) {
      expect(decideMedia(candidate({ declaredType: 'text/plain', sniffedType: null, text: text(head) })), head).toMatchObject({ ok: false, reason: 'markup_or_script' });
    }
    expect(decideMedia(candidate({ declaredType: 'text/plain', sniffedType: null, text: { utf8: false, controlChars: false, head: '' } }))).toMatchObject({ reason: 'not_text' });
    expect(decideMedia(candidate({ declaredType: 'text/plain', sniffedType: null, text: { utf8: true, controlChars: true, head: 'a\u0000b' } }))).toMatchObject({ reason: 'not_text' });
    for (const type of ['image/svg+xml', 'text/html', 'application/javascript', 'application/zip', 'image/gif', '']) {
      expect(decideMedia(candidate({ declaredType: type })), type).toMatchObject({ ok: false, code: 'unsupported_media_type' });
    }
  });

  it('limits: 5 MB images, 16 MB documents, nothing empty; the message says the limit in both languages', () => {
    expect(decideMedia(candidate({ size: IMAGE_MAX_BYTES })).ok).toBe(true);
    const big = decideMedia(candidate({ size: IMAGE_MAX_BYTES + 1 }));
    expect(big).toMatchObject({ ok: false, code: 'payload_too_large', message: { en: expect.stringContaining('5 MB'), fr: expect.stringContaining('5 Mo') } });
    expect(decideMedia(candidate({ declaredType: 'application/pdf', sniffedType: 'application/pdf', size: DOCUMENT_MAX_BYTES })).ok).toBe(true);
    expect(decideMedia(candidate({ declaredType: 'application/pdf', sniffedType: 'application/pdf', size: DOCUMENT_MAX_BYTES + 1 }))).toMatchObject({ reason: 'too_large' });
    expect(decideMedia(candidate({ size: 0 }))).toMatchObject({ ok: false, reason: 'empty', code: 'validation_failed' });
  });

  it('file names keep only the name, without control characters or quotes', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\x\\facture "12".pdf')).toBe('facture 12.pdf');
    expect(cleanFilename('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(cleanFilename('   ')).toBeUndefined();
  });
});
