import { z } from 'zod';
import { messageSchema } from './api-schemas.ts';
import { MAX_LABEL_LENGTH, MAX_LABELS } from './inbox-limits.ts';
import { MAX_TEXT_LENGTH } from './limits.ts';

// ——— Team inbox (issue 14): status, assignment, labels, internal notes

export const conversationStatusSchema = z.enum(['open', 'pending', 'snoozed', 'resolved']);

export const changeStatusBody = z.strictObject({
  status: conversationStatusSchema,
  /** Required with `snoozed` (ISO 8601 with a zone, in the future), refused otherwise. */
  snoozeUntil: z.iso.datetime({ offset: true }).optional(),
});

export const assignBody = z.strictObject({
  /** The teammate who handles it, or null for no one. */
  userId: z.uuid().nullable(),
});

export const labelsBody = z.strictObject({
  /** The whole set (replaces the current one); case and spacing are tidied, duplicates dropped. */
  labels: z.array(z.string().min(1).max(MAX_LABEL_LENGTH)).max(MAX_LABELS),
});

export const noteBody = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(MAX_TEXT_LENGTH)
    .refine((t) => t.trim().length > 0, { message: 'write the note' }),
});

/** An internal note as the thread lists it, among the messages (`kind: "note"`). */
export const noteSchema = z.object({
  kind: z.literal('note'),
  id: z.uuid(),
  conversationId: z.uuid(),
  authorUserId: z.uuid(),
  text: z.string(),
  /** Teammates it @mentions (user ids). */
  mentions: z.array(z.uuid()),
  createdAt: z.string(),
});

/** A thread's items: the customer's and the team's messages, and the team's notes, newest first. */
export const threadItemSchema = z.union([messageSchema.extend({ kind: z.literal('message') }), noteSchema]);

export const labelListSchema = z.object({ items: z.array(z.object({ label: z.string(), count: z.number().int() })) });

export const assignmentSettingsSchema = z.object({
  /** `round_robin`: a conversation never assigned goes to the next active agent in turn when its customer writes. */
  mode: z.enum(['manual', 'round_robin']),
});
export const assignmentSettingsBody = assignmentSettingsSchema.strict();
