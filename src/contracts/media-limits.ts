/**
 * The files Errata lets a team send (WhatsApp's documented types) and their size limits. Shared by
 * the server's content policy (src/domain/media-policy.ts) and the web composer, which tells the
 * limits before anything is uploaded.
 */
export type OutboundMediaKind = 'image' | 'document';

export interface AllowedMediaType {
  kind: OutboundMediaKind;
  /** What the first bytes must say (file-type's MIME), or `text` for plain text (no magic number). */
  magic: readonly string[] | 'text';
  extensions: readonly string[];
  maxBytes: number;
}

export const MiB = 1024 * 1024;
/** WhatsApp's image limit. */
export const IMAGE_MAX_BYTES = 5 * MiB;
/** Ours, below WhatsApp's 100 MB: bytes live in the database (see docs/decisions.md). */
export const DOCUMENT_MAX_BYTES = 16 * MiB;
export const MEDIA_MAX_BYTES = Math.max(IMAGE_MAX_BYTES, DOCUMENT_MAX_BYTES);
export const CAPTION_MAX_LENGTH = 1_024;

const CFB = ['application/x-cfb'];
export const ALLOWED_MEDIA_TYPES: Readonly<Record<string, AllowedMediaType>> = {
  'image/jpeg': { kind: 'image', magic: ['image/jpeg'], extensions: ['jpg', 'jpeg'], maxBytes: IMAGE_MAX_BYTES },
  'image/png': { kind: 'image', magic: ['image/png', 'image/apng'], extensions: ['png'], maxBytes: IMAGE_MAX_BYTES },
  'application/pdf': { kind: 'document', magic: ['application/pdf'], extensions: ['pdf'], maxBytes: DOCUMENT_MAX_BYTES },
  'text/plain': { kind: 'document', magic: 'text', extensions: ['txt'], maxBytes: DOCUMENT_MAX_BYTES },
  'application/msword': { kind: 'document', magic: CFB, extensions: ['doc'], maxBytes: DOCUMENT_MAX_BYTES },
  'application/vnd.ms-excel': { kind: 'document', magic: CFB, extensions: ['xls'], maxBytes: DOCUMENT_MAX_BYTES },
  'application/vnd.ms-powerpoint': { kind: 'document', magic: CFB, extensions: ['ppt'], maxBytes: DOCUMENT_MAX_BYTES },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    magic: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    extensions: ['docx'],
    maxBytes: DOCUMENT_MAX_BYTES,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    kind: 'document',
    magic: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    extensions: ['xlsx'],
    maxBytes: DOCUMENT_MAX_BYTES,
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    kind: 'document',
    magic: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    extensions: ['pptx'],
    maxBytes: DOCUMENT_MAX_BYTES,
  },
};

