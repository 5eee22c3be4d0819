import type { z } from 'zod';
import type {
  channelSchema,
  contactSchema,
  conversationSchema,
  findingSchema,
  guardCheckSchema,
  messageSchema,
  mistakeKindSchema,
  remediesSchema,
  screenSchema,
  sessionSchema,
  userSchema,
} from '../../src/contracts/api-schemas.ts';
import type {
  allowEntrySchema,
  allowListSchema,
  allowProposalSchema,
  guardFeedbackSchema,
  guardFeedbackStatsSchema,
} from '../../src/contracts/guard-feedback-schemas.ts';
import type { labelListSchema, noteSchema, threadItemSchema } from '../../src/contracts/inbox-schemas.ts';

// Types only: the schemas themselves (and zod) never reach the browser bundle.
export type Message = z.infer<typeof messageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type User = z.infer<typeof userSchema>;
export type GuardCheck = z.infer<typeof guardCheckSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type Remedies = z.infer<typeof remediesSchema>;
export type Remedy = Remedies['remedies'][number];
export type MistakeKind = z.infer<typeof mistakeKindSchema>;
export type Screen = z.infer<typeof screenSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Verdict = GuardCheck['verdict'];
export type GuardFeedback = z.infer<typeof guardFeedbackSchema>;
export type AllowEntry = z.infer<typeof allowEntrySchema>;
export type AllowProposal = z.infer<typeof allowProposalSchema>;
export type AllowList = z.infer<typeof allowListSchema>;
export type GuardFeedbackStats = z.infer<typeof guardFeedbackStatsSchema>;
export type RevokeOutcome = NonNullable<Message['deletion']>['outcomes'][number]['outcome'];

export type Note = z.infer<typeof noteSchema>;
/** What a thread lists: messages (`kind: "message"`) and the team's internal notes. */
export type ThreadItem = z.infer<typeof threadItemSchema>;
export type ConversationStatus = Conversation['status'];
export type LabelCount = z.infer<typeof labelListSchema>['items'][number];

export { mistakeKinds as MISTAKE_KINDS } from '../../src/contracts/vocabulary.ts';
