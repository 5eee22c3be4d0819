/**
 * Which files Errata lets a team send, and how it tells a file is what it claims to be. Pure: the
 * declared type, the size, the type read from the first bytes (magic numbers) and a look at the
 * start of a text file come in; accepted (with the WhatsApp kind) or refused (with a reason) comes out.
 *
 * The allow-list follows WhatsApp's documented media types; anything else — HTML, SVG, scripts,
 * executables, archives — is refused, as is a file whose bytes say it is something other than its
 * declared type (a `.pdf` that is really a Windows program).
 */
import type { Bilingual } from '../contracts/error-codes.ts';
import { ALLOWED_MEDIA_TYPES, type OutboundMediaKind } from '../contracts/media-limits.ts';

export { ALLOWED_MEDIA_TYPES, CAPTION_MAX_LENGTH, DOCUMENT_MAX_BYTES, IMAGE_MAX_BYTES, MEDIA_MAX_BYTES, type OutboundMediaKind } from '../contracts/media-limits.ts';

const MiB = 1024 * 1024;

/** Types file-type reports for programs and installers: named in the refusal. */
const EXECUTABLE = /^application\/(x-msdownload|x-dosexec|x-elf|x-mach-binary|x-msi|x-sharedlib|x-executable|vnd\.microsoft\.portable-executable|wasm|x-apple-diskimage|java-archive|x-java-archive|vnd\.android\.package-archive)$/;

export interface MediaCandidate {
  /** The Content-Type the client declared (parameters such as charset allowed). */
  declaredType: string;
  size: number;
  /** The MIME type read from the first bytes, or null when nothing was recognised. */
  sniffedType: string | null;
  /** For candidates without a magic number: is it UTF-8 without control characters, and the start of it. */
  text: { utf8: boolean; controlChars: boolean; head: string } | null;
}

export type MediaDecision =
  | { ok: true; mimeType: string; kind: OutboundMediaKind }
  | { ok: false; code: 'unsupported_media_type' | 'payload_too_large' | 'media_rejected' | 'validation_failed'; reason: MediaRefusal; message: Bilingual };

export type MediaRefusal = 'empty' | 'type_not_allowed' | 'too_large' | 'executable' | 'markup_or_script' | 'not_text' | 'mismatch';

/** Markup or a script in a "text" file: a browser or a mail client could run it. */
const ACTIVE_TEXT = /<\s*(script|html|svg|iframe|object|embed|body|head|meta|!doctype|\?xml)\b|^\s*#!|^\s*<\?php/i;

export const normalizeMediaType = (declared: string): string => declared.split(';')[0]!.trim().toLowerCase();

export function decideMedia(c: MediaCandidate): MediaDecision {
  const mimeType = normalizeMediaType(c.declaredType);
  const allowed = ALLOWED_MEDIA_TYPES[mimeType];
  if (c.size === 0) return refuse('validation_failed', 'empty', { en: 'The file is empty.', fr: 'Le fichier est vide.' });
  if (!allowed) {
    return refuse('unsupported_media_type', 'type_not_allowed', {
      en: `This type of file (${mimeType || 'unknown'}) cannot be sent. Allowed: JPEG and PNG images; PDF, text, Word, Excel and PowerPoint documents.`,
      fr: `Ce type de fichier (${mimeType || 'inconnu'}) ne peut pas être envoyé. Acceptés : images JPEG et PNG ; documents PDF, texte, Word, Excel et PowerPoint.`,
    });
  }
  if (c.size > allowed.maxBytes) {
    const limit = `${Math.round(allowed.maxBytes / MiB)}`;
    return refuse('payload_too_large', 'too_large', {
      en: `This file is too large: ${allowed.kind === 'image' ? 'images' : 'documents'} may be at most ${limit} MB.`,
      fr: `Ce fichier est trop volumineux : ${allowed.kind === 'image' ? 'les images' : 'les documents'} font au plus ${limit} Mo.`,
    });
  }
  if (c.sniffedType && EXECUTABLE.test(c.sniffedType)) {
    return refuse('media_rejected', 'executable', {
      en: 'This file is a program, not a document: it was refused.',
      fr: 'Ce fichier est un programme, pas un document : il a été refusé.',
    });
  }
  if (allowed.magic === 'text') {
    if (c.sniffedType !== null) return mismatch(mimeType, c.sniffedType);
    if (!c.text?.utf8 || c.text.controlChars) {
      return refuse('media_rejected', 'not_text', {
        en: 'This file is not plain text (UTF-8): it was refused.',
        fr: 'Ce fichier n’est pas du texte brut (UTF-8) : il a été refusé.',
      });
    }
    if (ACTIVE_TEXT.test(c.text.head)) {
      return refuse('media_rejected', 'markup_or_script', {
        en: 'This text file contains HTML, SVG or a script: it was refused.',
        fr: 'Ce fichier texte contient du HTML, du SVG ou un script : il a été refusé.',
      });
    }
    return { ok: true, mimeType, kind: allowed.kind };
  }
  if (c.sniffedType === null || !allowed.magic.includes(c.sniffedType)) return mismatch(mimeType, c.sniffedType);
  return { ok: true, mimeType, kind: allowed.kind };
}

function mismatch(declared: string, sniffed: string | null): MediaDecision {
  const what = sniffed ?? 'unknown';
  return refuse('media_rejected', 'mismatch', {
    en: `This file's content (${what}) does not match its type (${declared}): it was refused.`,
    fr: `Le contenu de ce fichier (${what}) ne correspond pas à son type (${declared}) : il a été refusé.`,
  });
}

function refuse(code: Extract<MediaDecision, { ok: false }>['code'], reason: MediaRefusal, message: Bilingual): MediaDecision {
  return { ok: false, code, reason, message };
}

/** A file name safe to show and to put in a header: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return base ? base.slice(0, 200) : undefined;
}
