import type { ErrorCode } from '../contracts/error-codes.ts';
import type { MistakeKind } from '../contracts/vocabulary.ts';
import { type Actor, canChangeMessage } from './actor.ts';
import type { ChannelCapabilities, ChannelProfile } from './channel-profile.ts';
import { isWithinWindow, windowEnd } from './message-windows.ts';

/**
 * The message lifecycle of PRODUCT.md §3, as pure decisions: each function takes the message as
 * it is, who acts and when, and answers with the change to make and the events to record — or
 * with the reason it is refused. Nothing here reads a clock or a database.
 */
export type MessageStatus =
  | 'awaiting_approval'
  | 'held'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed'
  | 'cancelled'
  | 'rejected'
  | 'received';

export { type MistakeKind, mistakeKinds } from '../contracts/vocabulary.ts';

export interface MessageState {
  direction: 'out' | 'in';
  authorUserId: string | null;
  status: MessageStatus;
  text: string;
  version: number;
  holdUntil: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  deletedForMeAt: Date | null;
  revokedAt: Date | null;
  /** The hold chosen when it was written; an approval starts it then. */
  plannedHoldSeconds?: number;
}

export interface MessagePatch {
  status?: MessageStatus;
  text?: string;
  version?: number;
  sentVersion?: number;
  holdUntil?: Date | null;
  queuedAt?: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  failedAt?: Date;
  failureCode?: string;
  failureDetail?: string | null;
  cancelledAt?: Date;
  editedAt?: Date;
  deletedForMeAt?: Date | null;
  deletedForMeBy?: string | null;
  deletedForMeReason?: MistakeKind | null;
  revokedAt?: Date;
  revokedBy?: string;
  revokeReason?: MistakeKind;
  revokeNote?: string | null;
  readBeforeRevoke?: boolean;
  providerMessageId?: string;
  approvalDecision?: 'approved' | 'rejected' | null;
  approvalDecidedBy?: string | null;
  approvalDecidedAt?: Date | null;
  approvalReason?: string | null;
  /** A resubmitted draft goes back for approval from this moment. */
  approvalRequestedAt?: Date;
  /** The guard's answer on a resubmitted text (what the reviewer will see). */
  guardVerdict?: string;
  guardFindings?: readonly unknown[];
  guardAcknowledged?: readonly string[];
}

export interface LifecycleEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface DomainError {
  code: ErrorCode;
  /** Overrides the catalogue's generic sentence where the refusal needs its own words. */
  message?: { en: string; fr: string };
  details?: Record<string, unknown>;
}

export type Decision = { ok: true; patch: MessagePatch; events: LifecycleEvent[] } | { ok: false; error: DomainError };

/** A decision that changes nothing: the message is already where it should be (idempotent jobs). */
export const unchanged: Decision = Object.freeze({ ok: true, patch: Object.freeze({}), events: Object.freeze([]) as unknown as LifecycleEvent[] }) as Decision;

const refuse = (code: ErrorCode, message?: DomainError['message'], details?: Record<string, unknown>): Decision => ({
  ok: false,
  error: { code, ...(message ? { message } : {}), ...(details ? { details } : {}) },
});

const accept = (patch: MessagePatch, ...events: LifecycleEvent[]): Decision => ({ ok: true, patch, events });

const leftStatuses: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'read']);

/** Whether the message has reached the channel (and so the customer may have it). */
export function hasLeft(message: Pick<MessageState, 'status'>): boolean {
  return leftStatuses.has(message.status);
}

export interface NewMessagePlan {
  status: 'held' | 'queued';
  holdUntil: Date | null;
  queuedAt: Date | null;
  events: LifecycleEvent[];
}

/** A new outgoing message sits in its hold window, or goes straight to the queue with a hold of 0. */
export function planNewMessage(now: Date, holdSeconds: number): NewMessagePlan {
  if (holdSeconds > 0) {
    const holdUntil = windowEnd(now, holdSeconds);
    return {
      status: 'held',
      holdUntil,
      queuedAt: null,
      events: [{ type: 'message.held', data: { holdUntil: holdUntil.toISOString(), holdSeconds } }],
    };
  }
  return { status: 'queued', holdUntil: null, queuedAt: now, events: [{ type: 'message.queued', data: {} }] };
}

/** End of the hold: the message goes to the send queue. Answers `not_held` if it was cancelled or already left. */
export function decideRelease(message: MessageState, now: Date): Decision {
  if (message.status !== 'held') return refuse('not_held');
  if (message.holdUntil && now < message.holdUntil) {
    return refuse('conflict', undefined, { reason: 'hold_not_over', holdUntil: message.holdUntil.toISOString() });
  }
  return accept({ status: 'queued', queuedAt: now, holdUntil: message.holdUntil }, { type: 'message.queued', data: {} });
}

/**
 * Undo send. While the message is held it has not reached WhatsApp, so cancelling is a true
 * unsend — even if the release job is a little late.
 */
export function decideCancel(message: MessageState, actor: Actor, now: Date): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  // Cancelled already (a second Undo): it never left — never answer that it "has already left".
  if (message.status === 'cancelled') {
    return refuse(
      'conflict',
      { en: 'This message was already cancelled: the customer never received it.', fr: 'Ce message est déjà annulé : le client ne l’a jamais reçu.' },
      { reason: 'already_cancelled' },
    );
  }
  if (message.status !== 'held' && message.status !== 'awaiting_approval') return refuse('not_held');
  return accept({ status: 'cancelled', cancelledAt: now }, { type: 'message.cancelled', data: {} });
}

export function decideSent(message: MessageState, now: Date, providerMessageId?: string): Decision {
  if (message.status !== 'queued') return unchanged;
  return accept(
    { status: 'sent', sentAt: now, sentVersion: message.version, ...(providerMessageId ? { providerMessageId } : {}) },
    { type: 'message.sent', data: providerMessageId ? { providerMessageId } : {} },
  );
}

export function decideDelivered(message: MessageState, now: Date): Decision {
  if (message.status !== 'sent') return unchanged;
  return accept({ status: 'delivered', deliveredAt: now }, { type: 'message.delivered', data: {} });
}

export function decideRead(message: MessageState, now: Date): Decision {
  if (message.status !== 'sent' && message.status !== 'delivered') return unchanged;
  return accept(
    { status: 'read', readAt: now, ...(message.deliveredAt ? {} : { deliveredAt: now }) },
    { type: 'message.read', data: {} },
  );
}

export function decideFailed(message: MessageState, now: Date, failureCode: string, detail?: string): Decision {
  if (message.status !== 'queued') return unchanged;
  return accept(
    { status: 'failed', failedAt: now, failureCode, failureDetail: detail ?? null },
    { type: 'message.failed', data: { code: failureCode, ...(detail ? { detail } : {}) } },
  );
}

export interface ChannelRules {
  capabilities: ChannelCapabilities;
  profile: ChannelProfile;
}

export function revocableUntil(message: Pick<MessageState, 'sentAt'>, channel: ChannelRules): Date | null {
  if (!channel.capabilities.deleteForEveryone || !message.sentAt) return null;
  return windowEnd(message.sentAt, channel.profile.revokeWindowSeconds);
}

export function editableUntil(message: Pick<MessageState, 'sentAt'>, channel: ChannelRules): Date | null {
  if (!channel.capabilities.edit || !message.sentAt) return null;
  return windowEnd(message.sentAt, channel.profile.editWindowSeconds);
}

const notYetSent = {
  en: 'This message is still being sent. Try again in a moment.',
  fr: 'Ce message est en cours d’envoi. Réessayez dans un instant.',
};
const neverLeft = {
  en: 'This message never reached the customer.',
  fr: 'Ce message n’a jamais atteint le client.',
};
const alreadyRevoked = {
  en: 'This message was already deleted for everyone.',
  fr: 'Ce message a déjà été supprimé pour tout le monde.',
};
const awaitingApproval = {
  en: 'This message is waiting for approval: cancel it and write a new one instead of editing it.',
  fr: 'Ce message attend une validation : annulez-le et rédigez-en un nouveau plutôt que de le modifier.',
};
const customerMessage = {
  en: 'Only the customer can change their own messages.',
  fr: 'Seul le client peut modifier ses propres messages.',
};

/**
 * Edit. While held, the draft is simply rewritten (the customer never saw it). Once sent, only
 * within the channel's edit window and only on channels that can edit.
 */
export function decideEdit(message: MessageState, actor: Actor, text: string, now: Date, channel: ChannelRules): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  if (message.direction === 'in') return refuse('conflict', customerMessage);
  if (message.revokedAt) return refuse('conflict', alreadyRevoked);
  if (text === message.text) {
    return refuse('validation_failed', {
      en: 'The new text is the same as the current one.',
      fr: 'Le nouveau texte est identique au texte actuel.',
    });
  }
  const next = { text, version: message.version + 1 };
  if (message.status === 'held') {
    return accept(next, { type: 'message.edited', data: { version: next.version, whileHeld: true } });
  }
  if (message.status === 'queued') return refuse('conflict', notYetSent);
  if (message.status === 'awaiting_approval') return refuse('conflict', awaitingApproval);
  if (!hasLeft(message) || !message.sentAt) return refuse('conflict', neverLeft);
  if (!channel.capabilities.edit) return refuse('capability_unsupported', undefined, { suggestion: 'correct' });
  const until = windowEnd(message.sentAt, channel.profile.editWindowSeconds);
  if (!isWithinWindow(message.sentAt, now, channel.profile.editWindowSeconds)) {
    return refuse('edit_window_expired', undefined, { editableUntil: until.toISOString(), suggestion: 'correct' });
  }
  return accept({ ...next, editedAt: now }, { type: 'message.edited', data: { version: next.version } });
}

/** Delete for me: hides the message from the team's view only. It never closes delete-for-everyone. */
export function decideDeleteForMe(message: MessageState, actor: Actor, now: Date, reason: MistakeKind, note?: string): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  if (message.deletedForMeAt) {
    return refuse('conflict', {
      en: 'This message is already deleted for you.',
      fr: 'Ce message est déjà supprimé pour vous.',
    });
  }
  return accept(
    { deletedForMeAt: now, deletedForMeBy: actor.userId, deletedForMeReason: reason },
    { type: 'message.deleted_for_me', data: { reason, ...(note ? { note } : {}) } },
  );
}

export function decideRestore(message: MessageState, actor: Actor): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  if (!message.deletedForMeAt) {
    return refuse('conflict', {
      en: 'This message is not deleted for you: there is nothing to restore.',
      fr: 'Ce message n’est pas supprimé pour vous : rien à restaurer.',
    });
  }
  return accept({ deletedForMeAt: null, deletedForMeBy: null, deletedForMeReason: null }, { type: 'message.restored', data: {} });
}

/**
 * Delete for everyone: only for a message that left, on a channel that can, while
 * `now − sentAt ≤ revokeWindow` on server time. Past it, the answer points to a correction.
 */
export function decideDeleteForEveryone(
  message: MessageState,
  actor: Actor,
  now: Date,
  channel: ChannelRules,
  reason: MistakeKind,
  note?: string,
): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  if (message.direction === 'in') return refuse('conflict', customerMessage);
  if (message.revokedAt) return refuse('conflict', alreadyRevoked);
  if (message.status === 'held') {
    return refuse(
      'conflict',
      {
        en: 'This message has not left yet: cancel it instead, the customer will never see it.',
        fr: 'Ce message n’est pas encore parti : annulez-le, le client ne le verra jamais.',
      },
      { suggestion: 'cancel' },
    );
  }
  if (message.status === 'queued') return refuse('conflict', notYetSent);
  if (message.status === 'awaiting_approval') {
    return refuse('conflict', awaitingApproval, { suggestion: 'cancel' });
  }
  if (!hasLeft(message) || !message.sentAt) return refuse('conflict', neverLeft);
  if (!channel.capabilities.deleteForEveryone) {
    return refuse('capability_unsupported', undefined, { suggestion: 'correct' });
  }
  const until = windowEnd(message.sentAt, channel.profile.revokeWindowSeconds);
  if (!isWithinWindow(message.sentAt, now, channel.profile.revokeWindowSeconds)) {
    return refuse('revoke_window_expired', undefined, { revocableUntil: until.toISOString(), suggestion: 'correct' });
  }
  const readBeforeRevoke = message.readAt !== null;
  return accept(
    {
      revokedAt: now,
      revokedBy: actor.userId,
      revokeReason: reason,
      revokeNote: note ?? null,
      readBeforeRevoke,
    },
    { type: 'message.revoked', data: { reason, readBeforeRevoke, ...(note ? { note } : {}) } },
  );
}

/**
 * Edit and resubmit a rejected message: it never left, so the new text replaces the draft (the
 * rejected one stays in the history, and so does the rejection in the events), without "Edited",
 * and goes back to a reviewer with the guard's findings on the new text.
 */
export function decideResubmit(
  message: MessageState,
  actor: Actor,
  text: string,
  now: Date,
  guard: { verdict: string; findings: readonly unknown[]; acknowledged: readonly string[] },
): Decision {
  if (!canChangeMessage(actor, message)) return refuse('forbidden');
  if (message.status !== 'rejected') {
    return refuse('conflict', {
      en: 'Only a rejected message can be resubmitted for approval.',
      fr: 'Seul un message refusé peut être soumis à nouveau pour validation.',
    });
  }
  if (text === message.text) {
    return refuse('validation_failed', {
      en: 'The new text is the same as the rejected one.',
      fr: 'Le nouveau texte est identique au texte refusé.',
    });
  }
  const version = message.version + 1;
  return accept(
    {
      text,
      version,
      status: 'awaiting_approval',
      approvalRequestedAt: now,
      approvalDecision: null,
      approvalDecidedBy: null,
      approvalDecidedAt: null,
      approvalReason: null,
      guardVerdict: guard.verdict,
      guardFindings: guard.findings,
      guardAcknowledged: guard.acknowledged,
    },
    { type: 'message.resubmitted', data: { version, verdict: guard.verdict } },
  );
}

/** Who may approve or reject: a supervisor or an admin who did not write the message ("four eyes"). */
function checkReviewer(message: MessageState, actor: Actor): Decision | null {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') return refuse('forbidden');
  if (message.authorUserId === actor.userId) {
    return refuse('forbidden', {
      en: 'Someone other than the author must approve this message.',
      fr: 'Une autre personne que l’auteur doit valider ce message.',
    });
  }
  if (message.status !== 'awaiting_approval') {
    return refuse('conflict', {
      en: 'This message is not waiting for approval.',
      fr: 'Ce message n’attend pas de validation.',
    });
  }
  return null;
}

/**
 * Approval releases the message into its hold (the one planned when it was written), or straight to
 * the queue. "Approve with changes": the reviewer's text becomes a new version (the author's stays
 * in the history) and is what leaves; the customer never saw the first one, so it is not "Edited".
 */
export function decideApprove(message: MessageState, actor: Actor, now: Date, text?: string): Decision {
  const refused = checkReviewer(message, actor);
  if (refused) return refused;
  const changed = text !== undefined && text !== message.text;
  const next = planNewMessage(now, message.plannedHoldSeconds ?? 0);
  return accept(
    {
      ...(changed ? { text, version: message.version + 1 } : {}),
      status: next.status,
      holdUntil: next.holdUntil,
      ...(next.queuedAt ? { queuedAt: next.queuedAt } : {}),
      approvalDecision: 'approved',
      approvalDecidedBy: actor.userId,
      approvalDecidedAt: now,
      approvalReason: null,
    },
    {
      type: 'message.approved',
      data: changed ? { changed: true, fromVersion: message.version, toVersion: message.version + 1 } : {},
    },
    ...next.events,
  );
}

export function decideReject(message: MessageState, actor: Actor, now: Date, reason: string): Decision {
  const refused = checkReviewer(message, actor);
  if (refused) return refused;
  return accept(
    {
      status: 'rejected',
      approvalDecision: 'rejected',
      approvalDecidedBy: actor.userId,
      approvalDecidedAt: now,
      approvalReason: reason,
    },
    { type: 'message.rejected', data: { reason } },
  );
}

/** A delivery status from a real provider (Cloud API `statuses[]`, Evolution acks). */
export type ProviderStatus = 'sent' | 'delivered' | 'read' | 'failed';

const statusRank: Partial<Record<MessageStatus, number>> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/**
 * Statuses arrive late, twice, or out of order (`read` without `delivered`, `delivered` after
 * `read`), and a status can even beat our own record of the send (the provider answered, we
 * crashed). They only ever move a message forward: sent < delivered < read, and `failed` only
 * before delivery. A status that moves nothing is not an error, just nothing to do.
 */
export function decideProviderStatus(
  message: MessageState,
  status: ProviderStatus,
  now: Date,
  info: { providerMessageId: string; failure?: { code: string; detail?: string | undefined } },
): Decision {
  if (message.direction !== 'out') return unchanged;
  const rank = statusRank[message.status];
  if (rank === undefined) return unchanged;
  if (status === 'failed') {
    if (rank > 1) return unchanged;
    const code = info.failure?.code ?? 'rejected';
    const detail = info.failure?.detail;
    return accept(
      { status: 'failed', failedAt: now, failureCode: code, failureDetail: detail ?? null },
      { type: 'message.failed', data: { code, ...(detail ? { detail } : {}), reportedBy: 'provider' } },
    );
  }
  const target = statusRank[status] ?? 0;
  if (target <= rank) return unchanged;
  let state = message;
  let patch: MessagePatch = {};
  const events: LifecycleEvent[] = [];
  const steps: [number, (m: MessageState) => Decision][] = [
    [1, (m) => decideSent(m, now, info.providerMessageId)],
    [2, (m) => (target === 2 ? decideDelivered(m, now) : unchanged)],
    [3, (m) => decideRead(m, now)],
  ];
  for (const [step, decide] of steps) {
    if (step <= rank || step > target) continue;
    const decision = decide(state);
    if (!decision.ok || decision.events.length === 0) continue;
    patch = { ...patch, ...decision.patch };
    events.push(...decision.events);
    state = { ...state, ...pickState(decision.patch) };
  }
  return events.length > 0 ? accept(patch, ...events) : unchanged;
}

function pickState(patch: MessagePatch): Partial<MessageState> {
  return {
    ...(patch.status ? { status: patch.status } : {}),
    ...(patch.sentAt ? { sentAt: patch.sentAt } : {}),
    ...(patch.deliveredAt ? { deliveredAt: patch.deliveredAt } : {}),
    ...(patch.readAt ? { readAt: patch.readAt } : {}),
  };
}

