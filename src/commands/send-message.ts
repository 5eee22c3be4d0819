import type { AppContext } from '../app-context.ts';
import { acceptOutgoingMessage } from '../db/queries/accept-message-queries.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { findCustomerLastMessageAt } from '../db/queries/conversation-queries.ts';
import { serviceWindow } from '../domain/service-window.ts';
import { findMessageByIdempotencyKey, getMessage } from '../db/queries/message-queries.ts';
import type { ChannelRow, MessageRow } from '../db/schema.ts';
import { type Actor, canWrite } from '../domain/actor.ts';
import { type LifecycleEvent, planNewMessage } from '../domain/message-lifecycle.ts';
import { QUEUES } from '../delivery/queues.ts';
import { getMedia } from '../db/queries/webhook-delivery-queries.ts';
import { summaryOf } from '../domain/inbound-content.ts';
import { cleanFilename, decideMedia } from '../domain/media-policy.ts';
import type { OutboundMediaContent } from '../db/queries/accept-message-queries.ts';
import { recordBlockedSend } from '../db/queries/analytics-queries.ts';
import { checkDraft } from './check-draft.ts';
import { describeBytes } from './upload-media.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

export interface SendMessageInput {
  workspaceId: string;
  actor: Actor;
  contactId: string;
  text?: string | undefined;
  template?: { name: string; language: string; parameters: string[] } | undefined;
  channelId?: string | undefined;
  holdSeconds?: number | undefined;
  idempotencyKey?: string | undefined;
  acknowledge?: readonly string[] | undefined;
  /** An earlier message of the same conversation to quote (a WhatsApp reply). */
  replyToMessageId?: string | undefined;
  /** An uploaded image or document (`POST /media`); `text` is then its caption. */
  media?: { id: string; filename?: string | undefined } | undefined;
}

/**
 * Accepts an outgoing message after the pre-send guard: blocked ones are refused and nothing is
 * stored; the others are durable (message, first version, events, job) before the caller hears
 * "accepted" — held, queued, or waiting for a colleague's approval. A repeated idempotency key
 * answers with the message it created first.
 */
export async function sendMessage(
  ctx: AppContext,
  input: SendMessageInput,
): Promise<{ message: MessageRow; created: boolean; channel?: ChannelRow }> {
  if (!canWrite(input.actor)) throw new CommandError('forbidden');
  if (input.idempotencyKey) {
    const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
    if (existing) return { message: existing, created: false };
  }
  const template = input.template ?? null;
  // An attachment is checked again here: the reference may name bytes a customer sent us.
  const media = input.media ? await attachmentOf(ctx, input.workspaceId, input.media) : null;
  // What the team reads; for a template, what the agent previewed, else its name and values; for media, its caption.
  const text = input.text ?? (media ? '' : templateSummary(template!));
  // A template's wording was approved by WhatsApp: the guard reads what the agent typed (its values).
  const guardText = template ? (input.text ?? template.parameters.join(' · ')) : text;
  const check = await checkDraft(ctx, { ...input, text: guardText });
  const { channel, send } = check;
  if (channel.type === 'whatsapp-cloud' && !template) await requireServiceWindow(ctx, input, channel);
  if (input.replyToMessageId) await requireQuotable(ctx, input, channel);
  if (send.outcome === 'blocked') {
    // Nothing of the message is kept; the refusal is, for the prevention measures (kinds, never the text).
    await recordBlockedSend(ctx.db, {
      workspaceId: input.workspaceId,
      userId: input.actor.userId,
      channelId: channel.id,
      contactId: input.contactId,
      at: ctx.clock.now(),
      kinds: check.findings.map((f) => f.kind),
      categories: check.findings.map((f) => f.category),
    });
    throw new CommandError('guard_blocked', undefined, {
      verdict: 'block',
      findings: check.findings,
    });
  }

  const now = ctx.clock.now();
  const review = send.outcome === 'review';
  const plan = review ? null : planNewMessage(now, send.holdSeconds);
  const held = plan?.status === 'held' && plan.holdUntil;
  const guardEvents: LifecycleEvent[] = [
    ...(check.findings.length > 0 ? [{ type: 'message.guard_findings', data: { verdict: check.decision.verdict } }] : []),
    ...(send.acknowledged.length > 0 ? [{ type: 'message.warnings_acknowledged', data: { kinds: send.acknowledged } }] : []),
  ];
  const events: LifecycleEvent[] = [
    { type: 'message.created', data: { channelId: channel.id, contactId: input.contactId } },
    ...guardEvents,
    ...(plan ? plan.events : [{ type: 'message.awaiting_approval', data: { verdict: check.decision.verdict } }]),
  ];
  let message: MessageRow | undefined;
  try {
    message = await acceptOutgoingMessage(ctx.db, {
      id: crypto.randomUUID(),
      newConversationId: crypto.randomUUID(),
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      channelId: channel.id,
      authorUserId: input.actor.userId,
      text,
      contentType: template ? 'template' : media ? media.type : 'text',
      content: media,
      summary: media ? summaryOf(media.type, text) : undefined,
      template,
      replyToMessageId: input.replyToMessageId ?? null,
      status: plan ? plan.status : 'awaiting_approval',
      holdUntil: plan?.holdUntil ?? null,
      queuedAt: plan?.queuedAt ?? null,
      plannedHoldSeconds: send.holdSeconds,
      guard:
        check.findings.length > 0 || send.acknowledged.length > 0
          ? { verdict: check.decision.verdict, findings: check.findings, acknowledged: send.acknowledged }
          : null,
      idempotencyKey: input.idempotencyKey ?? null,
      now,
      events,
      job: plan
        ? {
            table: ctx.jobs.jobTable,
            queue: held ? QUEUES.releaseHold : QUEUES.sendMessage,
            delaySeconds: held && plan.holdUntil ? (plan.holdUntil.getTime() - now.getTime()) / 1000 : 0,
            retryLimit: ctx.jobs.retry.limit,
            retryDelaySeconds: ctx.jobs.retry.delaySeconds,
          }
        : null,
    });
  } catch (error) {
    // Two requests with one key raced: the loser answers with the winner's message.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const existing = await findMessageByIdempotencyKey(ctx.db, input.workspaceId, input.idempotencyKey);
      if (existing) return { message: existing, created: false };
    }
    throw error;
  }
  if (!message) {
    // Nothing was written: the contact is not in this workspace.
    const contact = await getContact(ctx.db, input.workspaceId, input.contactId);
    throw contact ? new CommandError('conflict') : notFound(nouns.contact);
  }
  const created = message;
  ctx.bus.publish(
    events.map((e) => ({
      type: e.type,
      workspaceId: input.workspaceId,
      conversationId: created.conversation_id,
      messageId: created.id,
      at: now.toISOString(),
    })),
  );
  if (plan && !held) ctx.jobs.wake(QUEUES.sendMessage);
  return { message, created: true, channel };
}

/** A reply quotes a message of its own conversation (same contact, same channel), nothing else. */
async function requireQuotable(ctx: AppContext, input: SendMessageInput, channel: ChannelRow): Promise<void> {
  const quoted = await getMessage(ctx.db, input.workspaceId, input.replyToMessageId!);
  if (!quoted || quoted.contact_id !== input.contactId || quoted.channel_id !== channel.id) {
    throw new CommandError(
      'validation_failed',
      {
        en: 'The quoted message is not in this conversation.',
        fr: 'Le message cité n’appartient pas à cette conversation.',
      },
      { field: 'replyToMessageId' },
    );
  }
}

/** The message content of an attachment that passes the policy, or a 4xx saying why not. */
async function attachmentOf(ctx: AppContext, workspaceId: string, ref: { id: string; filename?: string | undefined }): Promise<OutboundMediaContent> {
  const row = await getMedia(ctx.db, workspaceId, ref.id);
  if (!row) {
    throw new CommandError(
      'validation_failed',
      { en: 'This attachment was not found: upload the file again.', fr: 'Cette pièce jointe est introuvable : téléversez à nouveau le fichier.' },
      { field: 'media.id' },
    );
  }
  const bytes = Buffer.from(row.bytes);
  const decision = decideMedia(await describeBytes(row.mime_type ?? '', bytes));
  if (!decision.ok) throw new CommandError(decision.code, decision.message, { reason: decision.reason, field: 'media.id' });
  const filename = cleanFilename(ref.filename);
  return {
    type: decision.kind,
    mimeType: decision.mimeType,
    sha256: row.sha256,
    ...(filename ? { filename } : {}),
    stored: { sha256: row.sha256, size: row.size },
  };
}

function templateSummary(template: { name: string; language: string; parameters: string[] }): string {
  const values = template.parameters.length > 0 ? `: ${template.parameters.join(' · ')}` : '';
  return `[${template.name} · ${template.language}]${values}`.slice(0, 4_096);
}

/** Free text on the Cloud API only within 24 hours of the customer's last message. */
async function requireServiceWindow(ctx: AppContext, input: SendMessageInput, channel: ChannelRow): Promise<void> {
  const last = await findCustomerLastMessageAt(ctx.db, input.workspaceId, input.contactId, channel.id);
  const window = serviceWindow(last, ctx.clock.now());
  if (window.open) return;
  throw new CommandError('outside_service_window', undefined, {
    suggestion: 'template',
    customerLastMessageAt: last ? last.toISOString() : null,
    windowClosedAt: window.closesAt ? window.closesAt.toISOString() : null,
  });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
