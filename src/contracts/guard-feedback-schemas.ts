import { z } from 'zod';
import { guardCategorySchema, messageTextSchema } from './api-schemas.ts';

/**
 * Feedback from agents on the pre-send guard and the workspace's allow-list (shared by the server
 * and, as types, the web app). Objects are strict, like the rest of the API.
 */

/** A guard kind as findings carry it: `category.name`. */
export const guardKindSchema = z.string().min(5).max(50).regex(/^(?:pii|price|recipient|tone|spelling)\.[a-z_]{1,40}$/, {
  message: 'a guard kind such as tone.blaming',
});
/** A kind, or just a category when the agent knows only that much (`tone`). */
export const guardKindOrCategorySchema = z.string().min(3).max(50).regex(/^(?:pii|price|recipient|tone|spelling)(?:\.[a-z_]{1,40})?$/, {
  message: 'a guard kind such as tone.blaming, or a category such as tone',
});

export const spanSchema = z
  .strictObject({ start: z.number().int().min(0), end: z.number().int().min(1) })
  .refine((s) => s.start < s.end, { message: 'start must be before end', path: ['end'] });

const note = z.string().trim().min(0).max(1_000).optional();

export const guardFeedbackBody = z.discriminatedUnion('verdict', [
  z.strictObject({
    verdict: z.literal('false_alarm'),
    findingKind: guardKindSchema,
    text: messageTextSchema,
    span: spanSchema,
    note,
    /** Spelling findings: also ask for the word to join the workspace glossary. */
    glossary: z.boolean().optional(),
  }),
  z.strictObject({
    verdict: z.literal('missed'),
    kind: guardKindOrCategorySchema,
    text: messageTextSchema,
    span: spanSchema.optional(),
    note,
  }),
]);

export const guardFeedbackSchema = z.object({
  id: z.uuid(),
  verdict: z.enum(['false_alarm', 'missed']),
  kind: z.string(),
  category: guardCategorySchema,
  text: z.string(),
  span: z.object({ start: z.number().int(), end: z.number().int() }).nullable(),
  phrase: z.string().nullable(),
  glossary: z.boolean(),
  note: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.string(),
});

export const guardFeedbackStatsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(3_650).optional(),
});
export const guardFeedbackStatsSchema = z.object({
  since: z.string(),
  kinds: z.array(
    z.object({
      kind: z.string(),
      category: z.string(),
      falseAlarms: z.number().int(),
      missed: z.number().int(),
      /** Findings of this kind stored with messages accepted since then. */
      findings: z.number().int(),
      /** falseAlarms / findings, null when no finding was stored. */
      falseAlarmRate: z.number().nullable(),
    }),
  ),
});

export const allowEntryBody = z
  .strictObject({
    text: z.string().trim().min(1).max(200),
    kind: guardKindSchema.optional(),
    category: guardCategorySchema.optional(),
  })
  .refine((b) => !(b.kind && b.category), { message: 'give a kind or a category, not both', path: ['category'] });

export const glossaryWordBody = z.strictObject({ word: z.string().trim().min(1).max(80) });

export const allowEntrySchema = z.object({
  id: z.uuid(),
  text: z.string(),
  kind: z.string().nullable(),
  category: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  removedAt: z.string().nullable(),
  removedBy: z.uuid().nullable(),
});

const flag = z.enum(['1', '0', 'true', 'false']).optional();
export const allowListQuery = z.strictObject({
  /** Also answer the phrases proposed for the list (repeated false alarms, glossary wishes). */
  proposals: flag,
  /** Also list removed entries (with who removed them, when). */
  includeRemoved: flag,
});

export const allowProposalSchema = z.object({
  text: z.string(),
  kind: z.string(),
  category: z.string(),
  /** False alarms reported on this phrase and kind, and by how many people. */
  count: z.number().int(),
  reporters: z.number().int(),
  lastAt: z.string(),
  /** Someone asked for the word to join the glossary. */
  glossary: z.boolean(),
});

export const allowListSchema = z.object({
  items: z.array(allowEntrySchema),
  proposals: z.array(allowProposalSchema).optional(),
});
