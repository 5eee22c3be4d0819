import { z } from 'zod';
import { MAX_TEXT_LENGTH } from './limits.ts';
import { CAPTION_MAX_LENGTH } from './media-limits.ts';
import { mistakeKinds } from './vocabulary.ts';

/**
 * Request and response shapes of the REST API, shared by the server (validation, OpenAPI) and
 * the web app. Objects are strict: an unknown field is a mistake worth hearing about.
 */
export const languageSchema = z.enum(['fr', 'en']);
export const mistakeKindSchema = z.enum(mistakeKinds);

export const messageTextSchema = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(MAX_TEXT_LENGTH, { message: `at most ${MAX_TEXT_LENGTH} characters` })
  .refine((t) => t.trim().length > 0, { message: 'must not be empty' });

const windowSeconds = z.number().int().min(0).max(30 * 86_400);
const clientVersion = z.string().min(1).max(23).regex(/^\d{1,5}(\.\d{1,5}){0,3}$/, { message: 'a version such as 2.24.1' });

export const idParams = z.strictObject({ id: z.uuid() });

const channelCommon = {
  name: z.string().trim().min(1).max(100),
  revokeWindowSeconds: windowSeconds.optional(),
  editWindowSeconds: windowSeconds.optional(),
  defaultHoldSeconds: z.number().int().min(0).max(3_600).optional(),
};
const secret = z.string().min(1).max(2_000);
const httpUrl = z.url({ protocol: /^https?$/ }).min(8).max(500);
/** Messages per second the business number may send (Cloud API: 80 by default, up to 1 000). */
export const ratePerSecondSchema = z.number().int().min(1).max(1_000);

export const cloudChannelConfig = z.strictObject({
  phoneNumberId: z.string().min(5).max(30).regex(/^\d{5,30}$/, { message: 'the phone number id: digits' }),
  wabaId: z.string().min(5).max(30).regex(/^\d{5,30}$/, { message: 'the WhatsApp Business Account id: digits' }),
  accessToken: secret,
  appSecret: secret,
  verifyToken: secret,
  apiBaseUrl: httpUrl.optional(),
  apiVersion: z.string().min(4).max(8).regex(/^v\d{1,3}\.\d{1,3}$/, { message: 'a Graph version such as v23.0' }).optional(),
});
export const evolutionChannelConfig = z.strictObject({
  baseUrl: httpUrl,
  apiKey: secret,
  instance: z.string().trim().min(1).max(100),
});

/** How the simulated customer's phones behave (simulator channels only). */
const simulatorSettingsBody = z.strictObject({
  minClientVersion: clientVersion.optional(),
  offlineRevokeDeadlineSeconds: windowSeconds.optional(),
});

export const createChannelBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('simulator'),
    ...channelCommon,
    simulator: simulatorSettingsBody.optional(),
  }),
  z.strictObject({ type: z.literal('whatsapp-cloud'), ...channelCommon, ratePerSecond: ratePerSecondSchema.optional(), config: cloudChannelConfig }),
  z.strictObject({ type: z.literal('evolution'), ...channelCommon, ratePerSecond: ratePerSecondSchema.optional(), config: evolutionChannelConfig }),
]);

/**
 * What an admin may change later: secrets can be replaced, never read back. Windows and simulator
 * settings apply to simulator channels only (on real channels WhatsApp decides them).
 */
export const updateChannelBody = z
  .strictObject({
    name: channelCommon.name.optional(),
    defaultHoldSeconds: channelCommon.defaultHoldSeconds,
    revokeWindowSeconds: channelCommon.revokeWindowSeconds,
    editWindowSeconds: channelCommon.editWindowSeconds,
    simulator: simulatorSettingsBody.optional(),
    ratePerSecond: ratePerSecondSchema.optional(),
    config: z
      .strictObject({
        accessToken: secret.optional(),
        appSecret: secret.optional(),
        verifyToken: secret.optional(),
        apiBaseUrl: httpUrl.optional(),
        apiVersion: cloudChannelConfig.shape.apiVersion,
        baseUrl: httpUrl.optional(),
        apiKey: secret.optional(),
      })
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });

export const channelSchema = z.object({
  id: z.uuid(),
  type: z.enum(['simulator', 'whatsapp-cloud', 'evolution']),
  name: z.string(),
  isDefault: z.boolean(),
  revokeWindowSeconds: z.number(),
  editWindowSeconds: z.number(),
  defaultHoldSeconds: z.number(),
  capabilities: z.object({ deleteForEveryone: z.boolean(), edit: z.boolean(), confirmsRevoke: z.boolean() }),
  simulator: z.object({ minClientVersion: z.string(), offlineRevokeDeadlineSeconds: z.number() }).nullable(),
  /** Real channels: the settings that are not secret, where to point the provider's webhooks, which secrets are stored. */
  provider: z
    .object({
      settings: z.record(z.string(), z.string()),
      ratePerSecond: z.number(),
      webhookPath: z.string(),
      secretsStored: z.array(z.string()),
    })
    .nullable(),
  createdAt: z.string(),
});

export const createContactBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().min(3).max(40),
  language: languageSchema.optional(),
});

/** How WhatsApp names a customer: a number, a business-scoped user id (hidden number) or a gateway's LID. */
export const contactIdentitySchema = z.object({ kind: z.enum(['phone', 'bsuid', 'lid']), value: z.string(), retired: z.boolean() });

export const contactSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Null for a customer known only by a business-scoped user id or a LID (see `identities`). */
  phone: z.string().nullable(),
  identities: z.array(contactIdentitySchema),
  language: languageSchema,
  createdAt: z.string(),
});

/** An approved WhatsApp template: the only thing the Cloud API lets through outside the 24-hour window. */
export const templateSchema = z.strictObject({
  name: z.string().min(1).max(512).regex(/^[a-z0-9_]{1,512}$/, { message: 'a template name: lower-case letters, digits, underscores' }),
  language: z.string().min(2).max(6).regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'a language code such as fr or en_GB' }),
  parameters: z.array(z.string().min(1).max(1_024)).max(20).default([]),
});

export const sendMessageBody = z
  .strictObject({
    contactId: z.uuid(),
    /** The text; for a template, an optional preview for the team (the customer gets the template). */
    text: messageTextSchema.optional(),
    template: templateSchema.optional(),
    channelId: z.uuid().optional(),
    holdSeconds: z.number().int().min(0).max(3_600).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    /** Guard finding kinds (e.g. "tone.aggressive") the author has read and accepts: recorded, and no longer lengthen the hold. */
    acknowledge: z.array(z.string().min(3).max(80).regex(/^[a-z]+\.[a-z_]+$/)).max(50).optional(),
    /** Quote an earlier message of the same conversation (a WhatsApp reply), e.g. a correction quoting the mistake. */
    replyToMessageId: z.uuid().optional(),
    /** An image or a document uploaded with `POST /media`; `text` is then its caption (optional). */
    media: z
      .strictObject({
        id: z.string().length(64).regex(/^[0-9a-f]{64}$/, { message: 'the id POST /media answered' }),
        filename: z.string().trim().min(1).max(200).optional(),
      })
      .optional(),
  })
  .refine((b) => b.text !== undefined || b.template !== undefined || b.media !== undefined, { message: 'give a text, a template or a media', path: ['text'] })
  .refine((b) => !(b.media && b.template), { message: 'a template cannot carry a media here', path: ['media'] })
  .refine((b) => !(b.media && b.text && b.text.length > CAPTION_MAX_LENGTH), { message: `a caption is at most ${CAPTION_MAX_LENGTH} characters`, path: ['text'] });

/** What `POST /media` answers: the reference to give `POST /messages` as `media.id`. */
export const uploadedMediaSchema = z.object({
  id: z.string(),
  mimeType: z.string(),
  kind: z.enum(['image', 'document']),
  size: z.number(),
});

/** `POST /media`: the file's type is the request's Content-Type (checked against its bytes). */
export const uploadMediaHeaders = z.object({ 'content-type': z.string().min(3).max(200) });

export const editMessageBody = z.strictObject({ text: messageTextSchema });

export const deleteMessageBody = z.strictObject({
  scope: z.enum(['me', 'everyone']),
  reason: mistakeKindSchema,
  note: z.string().min(0).max(1_000).optional(),
});

export const remediesQuery = z.strictObject({ mistake: mistakeKindSchema });

const isoOrNull = z.string().nullable();

/** Every kind of message a thread can show (src/domain/inbound-content.ts says what each does). */
export const contentTypes = [
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

/** The shapes of `message.content`, by `type`. */
export type MessageContentView =
  | { type: 'interactive_reply'; replyKind: 'button' | 'list' | 'quick_reply' | 'flow'; id?: string; title: string; description?: string; payload?: string }
  | {
      type: 'image' | 'video' | 'document' | 'audio' | 'sticker';
      mediaId?: string;
      mimeType?: string;
      sha256?: string;
      caption?: string;
      filename?: string;
      voice?: boolean;
      animated?: boolean;
      stored?: { sha256: string; size: number };
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { type: 'contacts'; contacts: { name: string; phones: { phone: string; waId?: string; type?: string }[]; emails: string[]; organization?: string }[] }
  | { type: 'order'; catalogId?: string; text?: string; items: { productId: string; quantity: number; price?: number; currency?: string }[] }
  | { type: 'system'; systemKind: 'number_changed' | 'identity_changed' | 'other'; body: string; oldPhone?: string; newPhone?: string }
  | { type: 'too_large'; size?: number; limit: number };
const revokeOutcome = z.enum(['applied', 'pending', 'ignored', 'expired', 'unknown']);

export const messageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  contactId: z.uuid(),
  channelId: z.uuid(),
  direction: z.enum(['out', 'in']),
  authorUserId: z.string().nullable(),
  status: z.string(),
  text: z.string(),
  /** `text`, `template`, `unsupported` (something the provider could not pass on), or one of the kinds in `content`. */
  contentType: z.enum(contentTypes),
  /** The typed part of a message that is not plain text (see `MessageContentView`); null for text and templates. */
  content: z.record(z.string(), z.unknown()).nullable(),
  /** `app`: the business sent it from the WhatsApp Business app, not through Errata. */
  origin: z.enum(['app']).nullable(),
  /** The customer's current reaction to this message (an empty reaction takes it back; history in the events). */
  customerReaction: z.object({ emoji: z.string(), at: z.string() }).nullable(),
  /** The earlier message of the conversation this one quotes (a WhatsApp reply), or null. */
  replyToMessageId: z.uuid().nullable(),
  /** Where to download media Errata stored itself (Evolution sends it inline). */
  mediaUrl: z.string().nullable(),
  template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).nullable(),
  version: z.number(),
  createdAt: z.string(),
  holdUntil: isoOrNull,
  queuedAt: isoOrNull,
  sentAt: isoOrNull,
  deliveredAt: isoOrNull,
  readAt: isoOrNull,
  failedAt: isoOrNull,
  cancelledAt: isoOrNull,
  editedAt: isoOrNull,
  edited: z.boolean(),
  failure: z.object({ code: z.string(), detail: z.string().nullable() }).nullable(),
  revocableUntil: isoOrNull,
  editableUntil: isoOrNull,
  versions: z.array(
    z.object({ version: z.number(), text: z.string(), createdAt: z.string(), createdBy: z.string().nullable() }),
  ),
  deletedForMe: z.object({ at: z.string(), by: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  /** The customer deleted this message on their phone; its text stays in `versions` for the record. */
  deletedByCustomerAt: isoOrNull,
  /** Real channels: send attempts before it left, the next retry, the provider's id. */
  delivery: z
    .object({
      attempts: z.number(),
      nextAttemptAt: isoOrNull,
      lastError: z.string().nullable(),
      providerMessageId: z.string().nullable(),
    })
    .nullable(),
  /** What the provider reported going wrong (failed statuses, refused deletes/edits, content it could not pass on). */
  providerErrors: z.array(z.record(z.string(), z.unknown())),
  deletion: z
    .object({
      scope: z.enum(['me', 'everyone']),
      reason: z.string().nullable(),
      note: z.string().nullable(),
      at: z.string(),
      by: z.string().nullable(),
      outcomes: z.array(
        z.object({
          deviceId: z.string().nullable(),
          deviceLabel: z.string().nullable(),
          outcome: revokeOutcome,
          resolvedAt: isoOrNull,
        }),
      ),
    })
    .nullable(),
  maybeSeen: z.boolean(),
  maybeSeenReasons: z.array(z.string()),
  /**
   * After an edit of a message that left: does each of the customer's devices show the new text?
   * `applied`, `pending` (offline), `ignored` (outdated app, still shows the previous text), or
   * `unknown` (a channel that confirms nothing: one row for all devices). Empty when never edited.
   */
  editOutcomes: z.array(
    z.object({
      deviceId: z.string().nullable(),
      deviceLabel: z.string().nullable(),
      outcome: z.enum(['applied', 'pending', 'ignored', 'unknown']),
    }),
  ),
  guard: z
    .object({
      verdict: z.enum(['pass', 'warn', 'review', 'block']),
      findings: z.array(z.object({ kind: z.string(), category: z.string(), severity: z.string(), start: z.number(), end: z.number(), message: z.string(), suggestion: z.string().optional(), action: z.string() })),
      acknowledged: z.array(z.string()),
    })
    .nullable(),
  approval: z
    .object({
      requestedAt: z.string(),
      decision: z.enum(['approved', 'rejected']).nullable(),
      decidedBy: z.string().nullable(),
      decidedAt: isoOrNull,
      reason: z.string().nullable(),
      /** Approved with changes: the reviewer's text is the version that left; the author's stays in `versions`. */
      changedByReviewer: z.boolean(),
    })
    .nullable(),
  devices: z.array(
    z.object({
      deviceId: z.string(),
      label: z.string(),
      deliveredAt: isoOrNull,
      readAt: isoOrNull,
      shownVersion: z.number(),
      revokeOutcome: revokeOutcome.nullable(),
    }),
  ),
});

const bilingual = z.object({ en: z.string(), fr: z.string() });

export const remediesSchema = z.object({
  messageId: z.uuid(),
  mistake: mistakeKindSchema,
  remedies: z.array(
    z.object({
      remedy: z.enum(['cancel', 'edit', 'delete_for_everyone_and_correct', 'correct', 'delete_for_me', 'none']),
      rank: z.number(),
      reason: bilingual,
      secondsLeft: z.number().nullable(),
    }),
  ),
});

export const conversationSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  /** `handle`: the phone, or the id WhatsApp gave when the customer hides their number. */
  contact: z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable(), handle: z.string(), language: z.string() }),
  /** When the last message was said: the current version of the latest one that reached the customer or came from them. */
  lastMessageAt: isoOrNull,
  /** Its text; null when there is none, or when it was deleted for everyone or by the customer (`lastMessageDeleted`). */
  lastMessageText: z.string().nullable(),
  lastMessageDeleted: z.boolean(),
  unreadCount: z.number(),
  /** Team inbox: open, pending, snoozed (until `snoozedUntil`) or resolved. */
  status: z.enum(['open', 'pending', 'snoozed', 'resolved']),
  snoozedUntil: isoOrNull,
  /** Who handles it (a user id), or null. */
  assigneeId: z.uuid().nullable(),
  labels: z.array(z.string()),
});

export const listConversationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** As `nextCursor` gave it (base64url); one that does not decode to a date and an id is a 400. */
  cursor: z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, { message: 'a cursor as nextCursor gave it' }).optional(),
  q: z.string().min(0).max(200).optional(),
  /** `me`, `unassigned`, or a user's id. */
  assignee: z.union([z.enum(['me', 'unassigned']), z.uuid()]).optional(),
  status: z.enum(['open', 'pending', 'snoozed', 'resolved']).optional(),
  label: z.string().trim().min(1).max(40).optional(),
});

export const listMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** A message position as `nextCursor` gave it (at most 15 digits: never beyond what the database counts). */
  cursor: z.string().min(1).max(15).regex(/^\d{1,15}$/, { message: 'a cursor as nextCursor gave it' }).optional(),
  includeHidden: z.enum(['true', 'false']).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const deviceParams = z.strictObject({ id: z.uuid(), deviceId: z.uuid() });
export const addDeviceBody = z.strictObject({
  label: z.string().trim().min(1).max(60),
  clientVersion: clientVersion,
  online: z.boolean(),
});
export const updateDeviceBody = z
  .strictObject({
    label: z.string().trim().min(1).max(60).optional(),
    clientVersion: clientVersion.optional(),
    online: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export const deviceSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid(),
  label: z.string(),
  clientVersion: z.string(),
  online: z.boolean(),
});
export const customerReadBody = z.strictObject({ deviceId: z.uuid().optional() }).nullish();
export const customerReplyBody = z
  .strictObject({
    text: messageTextSchema.optional(),
    deviceId: z.uuid().optional(),
    channelId: z.uuid().optional(),
    /** The customer sends a photo or a document (uploaded with `POST /media`); `text` is its caption. */
    media: z.strictObject({ id: z.string().length(64).regex(/^[0-9a-f]{64}$/), filename: z.string().trim().min(1).max(200).optional() }).optional(),
  })
  .refine((b) => b.text !== undefined || b.media !== undefined, { message: 'give a text or a media', path: ['text'] });
export const screenSchema = z.object({
  contactId: z.uuid(),
  language: languageSchema,
  devices: z.array(
    z.object({
      device: z.object({
        id: z.uuid(),
        label: z.string(),
        clientVersion: z.string(),
        online: z.boolean(),
        outdated: z.boolean(),
      }),
      lines: z.array(
        z.object({
          messageId: z.uuid(),
          from: z.enum(['business', 'customer']),
          kind: z.enum(['text', 'tombstone']),
          text: z.string(),
          edited: z.boolean(),
          editedLabel: z.string().nullable(),
          read: z.boolean(),
          /** When it was sent (what WhatsApp shows), not when this device received it. */
          at: z.string(),
          /** A reply: the message it quotes, as this device shows it (null when the device does not have it). */
          quoted: z.object({ messageId: z.uuid(), kind: z.enum(['text', 'tombstone']), text: z.string() }).nullable().optional(),
          /** An image or document on this line (not on a tombstone): where to fetch it, and its name. */
          media: z.object({ kind: z.enum(['image', 'document']), url: z.string(), filename: z.string().nullable(), size: z.number() }).nullable().optional(),
        }),
      ),
    }),
  ),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

// ——— Sign-in (web app). The session cookie is HttpOnly; cookie-authenticated requests that change
// something must carry the header `x-errata-csrf: 1` (a page on another site cannot set it).
export const CSRF_HEADER = 'x-errata-csrf';
export const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(200),
  password: z.string().min(1).max(200),
  /** With two-factor sign-in on: the 6-digit code from the authenticator app, or a recovery code. */
  totp: z.string().trim().min(6).max(20).optional(),
});
export const roleSchema = z.enum(['admin', 'supervisor', 'agent', 'auditor']);
export const sessionSchema = z.object({
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: roleSchema }),
  workspace: z.object({ id: z.uuid(), name: z.string(), country: z.string(), language: languageSchema }),
});
export const userSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: roleSchema });

// ——— Pre-send guard
export const guardActionSchema = z.enum(['pass', 'warn', 'review', 'block']);
export const guardCategorySchema = z.enum(['pii', 'price', 'recipient', 'tone', 'spelling']);
export const findingSchema = z.object({
  kind: z.string(),
  category: guardCategorySchema,
  severity: z.enum(['info', 'warn', 'block']),
  start: z.number().int(),
  end: z.number().int(),
  /** In the message's language. */
  message: z.string(),
  /** The same sentence in both languages: show the reader's (the interface's), not the message's. Absent on findings stored before. */
  messages: z.object({ en: z.string(), fr: z.string() }).optional(),
  suggestion: z.string().optional(),
  /** What the workspace policy does with this finding. */
  action: guardActionSchema,
});
export const guardCheckBody = z.strictObject({
  text: z.string().min(0).max(MAX_TEXT_LENGTH),
  contactId: z.uuid().optional(),
  channelId: z.uuid().optional(),
});
export const guardCheckSchema = z.object({
  verdict: guardActionSchema,
  findings: z.array(findingSchema),
  /** The hold the message would get (channel default plus what the policy adds for warnings). */
  holdSeconds: z.number().int(),
});
export const guardPolicySchema = z.object({
  categories: z.record(guardCategorySchema, guardActionSchema),
  kinds: z.record(z.string(), guardActionSchema),
  holdExtensionSeconds: z.record(z.string(), z.number().int().min(0).max(3_600)),
});
export const guardPolicyBody = z.strictObject({
  categories: z.partialRecord(guardCategorySchema, guardActionSchema).optional(),
  kinds: z.record(z.string().min(3).max(80).regex(/^[a-z]+\.[a-z_]+$/), guardActionSchema).optional(),
  holdExtensionSeconds: z.partialRecord(guardCategorySchema, z.number().int().min(0).max(3_600)).optional(),
});

// ——— What the guard knows about the business
export const businessProfileSchema = z.object({
  name: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  phones: z.array(z.string().max(40)).max(50),
  emails: z.array(z.string().max(200)).max(50),
  ibans: z.array(z.string().max(50)).max(20),
  addresses: z.array(z.string().max(300)).max(20),
  staff: z.array(z.string().max(100)).max(500),
});
/** What an admin may change (each field optional); every text has a minimum and a maximum. */
export const businessProfileBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    country: z.string().length(2).regex(/^[A-Z]{2}$/),
    phones: z.array(z.string().trim().min(1).max(40)).max(50),
    emails: z.array(z.string().trim().min(3).max(200)).max(50),
    ibans: z.array(z.string().trim().min(1).max(50)).max(20),
    addresses: z.array(z.string().trim().min(1).max(300)).max(20),
    staff: z.array(z.string().trim().min(1).max(100)).max(500),
  })
  .partial();
export const catalogItemBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  price: z.number().nonnegative().max(1e9),
  currency: z.string().length(3).regex(/^[A-Z]{3}$/).default('EUR'),
});
export const catalogItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  price: z.number(),
  currency: z.string(),
  archived: z.boolean(),
});

// ——— Approvals ("four eyes")
export const rejectBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
/** "Approve with changes": the reviewer's text replaces the draft (both versions kept); no body approves it as written. */
export const approveBody = z.strictObject({ text: messageTextSchema.optional() }).nullish();

// ——— Starting a conversation from the inbox
export const startConversationBody = z.strictObject({
  contactId: z.uuid(),
  /** The workspace's default channel when left out. */
  channelId: z.uuid().optional(),
});
