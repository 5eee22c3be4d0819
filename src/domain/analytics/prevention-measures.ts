import type { DeletionMeasures } from './deletion-measures.ts';
import { percentile, ratio } from './deletion-measures.ts';

/**
 * Prevention (issue 17): what the guard, the four-eyes approval and the hold window caught before
 * a mistake reached a customer. Pure; docs/analytics.md states each definition.
 */

/** A message the team wrote in the period (by creation time) that met the guard, an approval or an undo. */
export interface PreventionFact {
  messageId: string;
  agentId: string | null;
  createdAt: Date;
  /** The guard's verdict when it had findings (null: none). */
  guardVerdict: 'pass' | 'warn' | 'review' | 'block' | null;
  findingCategories: readonly string[];
  /** Warning kinds the author read and accepted before sending. */
  acknowledged: readonly string[];
  approvalRequestedAt: Date | null;
  /** The latest decision on the row (a rejected message that was edited goes back to waiting, decision cleared). */
  approvalDecision: 'approved' | 'rejected' | null;
  approvalDecidedAt: Date | null;
  /** Rejection events in the message's history (a resubmitted message keeps its earlier rejections there). */
  rejections: number;
  cancelledAt: Date | null;
  sentAt: Date | null;
}

/** A send the guard refused (nothing was stored as a message; the refusal is recorded). */
export interface BlockedSend {
  agentId: string | null;
  at: Date;
  categories: readonly string[];
}

export interface FeedbackCounts {
  falseAlarms: number;
  missed: number;
}

export interface PreventionMeasures {
  guardFindings: Record<string, number>;
  guardVerdicts: { pass: number; warn: number; review: number; block: number };
  blocked: number;
  sentForApproval: number;
  approved: number;
  rejected: number;
  withdrawn: number;
  awaitingDecision: number;
  approvalTurnaround: { p50Seconds: number | null; p90Seconds: number | null };
  rejectionRate: number | null;
  undoSends: number;
  warningsAcknowledged: number;
  /** Agents' reports on the guard; null when a filter (channel, language) cannot apply to them. */
  falseAlarmReports: number | null;
  missedMistakeReports: number | null;
}

/** An undo: cancelled before leaving while it was held (never waiting for a colleague's decision at the time). */
export const isUndoSend = (f: PreventionFact) =>
  f.cancelledAt !== null && f.sentAt === null && (f.approvalRequestedAt === null || f.approvalDecision === 'approved');

/** Withdrawn by its author while a colleague had to decide, or after a rejection. */
export const isWithdrawn = (f: PreventionFact) =>
  f.cancelledAt !== null && f.sentAt === null && f.approvalRequestedAt !== null && f.approvalDecision !== 'approved';

export function preventionMeasures(facts: readonly PreventionFact[], blocked: readonly BlockedSend[], feedback: FeedbackCounts | null): PreventionMeasures {
  const guardFindings: Record<string, number> = {};
  const guardVerdicts = { pass: 0, warn: 0, review: 0, block: blocked.length };
  for (const f of facts) {
    for (const c of f.findingCategories) guardFindings[c] = (guardFindings[c] ?? 0) + 1;
    if (f.guardVerdict && f.guardVerdict !== 'block') guardVerdicts[f.guardVerdict]++;
  }
  for (const b of blocked) for (const c of b.categories) guardFindings[c] = (guardFindings[c] ?? 0) + 1;

  const asked = facts.filter((f) => f.approvalRequestedAt !== null);
  const rejected = asked.filter((f) => f.rejections > 0 || f.approvalDecision === 'rejected');
  const approved = asked.filter((f) => f.approvalDecision === 'approved');
  const decidedOnce = asked.filter((f) => f.approvalDecision !== null || f.rejections > 0);
  const turnaround = asked
    .filter((f) => f.approvalDecidedAt !== null)
    .map((f) => (f.approvalDecidedAt!.getTime() - f.approvalRequestedAt!.getTime()) / 1000);
  return {
    guardFindings,
    guardVerdicts,
    blocked: blocked.length,
    sentForApproval: asked.length,
    approved: approved.length,
    rejected: rejected.length,
    withdrawn: asked.filter(isWithdrawn).length,
    awaitingDecision: asked.filter((f) => f.approvalDecision === null && f.cancelledAt === null).length,
    approvalTurnaround: { p50Seconds: percentile(turnaround, 0.5), p90Seconds: percentile(turnaround, 0.9) },
    rejectionRate: ratio(rejected.length, decidedOnce.length),
    undoSends: facts.filter(isUndoSend).length,
    warningsAcknowledged: facts.filter((f) => f.acknowledged.length > 0).length,
    falseAlarmReports: feedback?.falseAlarms ?? null,
    missedMistakeReports: feedback?.missed ?? null,
  };
}

export interface Funnel {
  /** caughtBeforeSend + undone + edited + deleted: each mistake counted at the stage that stopped it. */
  mistakes: number;
  caughtBeforeSend: number;
  undone: number;
  edited: number;
  deleted: number;
  corrected: number;
}

/**
 * "Mistake → caught before send / undone / edited / deleted / corrected". Caught before send: sends
 * the guard blocked plus messages a reviewer rejected. Corrected is a part of deleted (deletions
 * followed by a correction), not a further stage.
 */
export function mistakeFunnel(deletions: Pick<DeletionMeasures, 'edited' | 'deletedForEveryone' | 'corrected'>, prevention: Pick<PreventionMeasures, 'blocked' | 'rejected' | 'undoSends'>): Funnel {
  const caughtBeforeSend = prevention.blocked + prevention.rejected;
  return {
    mistakes: caughtBeforeSend + prevention.undoSends + deletions.edited + deletions.deletedForEveryone,
    caughtBeforeSend,
    undone: prevention.undoSends,
    edited: deletions.edited,
    deleted: deletions.deletedForEveryone,
    corrected: deletions.corrected,
  };
}
