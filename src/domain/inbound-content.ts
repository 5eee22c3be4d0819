/**
 * What customers (and the business's own phone app) send besides plain text, in our own terms,
 * and what each kind does to a conversation. Pure: parsers build these, the applier obeys them.
 */

/** Every kind of message a thread can hold. `text` and `template` are also what Errata sends. */
export const CONTENT_TYPES = [
  'text',
  'template',
  'unsupported',
  'interactive_reply',
  'image',
  'video',
  'document',
  'audio',
  'sticker',
  'location',
  'contacts',
  'order',
  'system',
  'too_large',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const MEDIA_TYPES = ['image', 'video', 'document', 'audio', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export const isMediaType = (type: string): type is MediaType => (MEDIA_TYPES as readonly string[]).includes(type);

/** Media bytes Errata stored itself (Evolution sends them inline as base64). */
export interface StoredMediaRef {
  sha256: string;
  size: number;
}

export interface SharedContact {
  name: string;
  phones: { phone: string; waId?: string; type?: string }[];
  emails: string[];
  organization?: string;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  price?: number;
  currency?: string;
}

/** The typed part of a message (`messages.content`); its readable part is `text`. */
export type MessageContent =
  | {
      type: 'interactive_reply';
      /** `button`: an interactive reply button; `list`: a list row; `quick_reply`: a template's quick-reply button; `flow`: a WhatsApp Flow's answer. */
      replyKind: 'button' | 'list' | 'quick_reply' | 'flow';
      id?: string;
      title: string;
      description?: string;
      /** The template button's payload (what automations match on). */
      payload?: string;
    }
  | {
      type: MediaType;
      /** The provider's media handle (Cloud API media id). */
      mediaId?: string;
      mimeType?: string;
      sha256?: string;
      caption?: string;
      filename?: string;
      voice?: boolean;
      animated?: boolean;
      stored?: StoredMediaRef;
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { type: 'contacts'; contacts: SharedContact[] }
  | { type: 'order'; catalogId?: string; text?: string; items: OrderItem[] }
  | {
      type: 'system';
      systemKind: 'number_changed' | 'identity_changed' | 'other';
      body: string;
      /** For a number change: the customer's old and new numbers (E.164). */
      oldPhone?: string;
      newPhone?: string;
    }
  | { type: 'too_large'; size?: number; limit: number };

/**
 * What a message of a kind does to its conversation. A customer's message is something to
 * read (unread +1), opens the 24-hour customer-service window and may create the contact. A
 * system notice (number or security-code change) is none of that: a line in the thread. A
 * message the business sent from its own phone app is the business's, like ours.
 */
export interface ConversationEffect {
  unread: boolean;
  opensServiceWindow: boolean;
  createsContact: boolean;
}

export function conversationEffect(contentType: ContentType, side: 'customer' | 'business'): ConversationEffect {
  if (side === 'business') return { unread: false, opensServiceWindow: false, createsContact: true };
  if (contentType === 'system') return { unread: false, opensServiceWindow: false, createsContact: false };
  return { unread: true, opensServiceWindow: true, createsContact: true };
}

/** The inbox's one-line summary of a message (the last message of a conversation). */
export function summaryOf(contentType: ContentType, text: string): string {
  const t = text.trim();
  if (contentType === 'text' || contentType === 'template') return t;
  const label: Partial<Record<ContentType, string>> = {
    interactive_reply: '↩',
    image: '📷',
    video: '🎬',
    document: '📄',
    audio: '🎤',
    sticker: '🏷',
    location: '📍',
    contacts: '👤',
    order: '🛒',
    unsupported: '⚠',
    too_large: '⚠',
    system: 'ℹ',
  };
  const mark = label[contentType] ?? '';
  return t ? `${mark} ${t}`.trim() : `${mark} [${contentType}]`.trim();
}

/** A placeholder that only says "a type Errata did not understand" (not the provider's own refusal). */
export function isUpgradablePlaceholder(contentType: string, errors: readonly { code?: unknown }[] | null): boolean {
  return contentType === 'unsupported' && (errors ?? []).some((e) => e.code === 'type_not_shown');
}
