import type { DeletionsResponse, DrillDownResponse, PreventionResponse, TrustResponse } from '../contracts/analytics-schemas.ts';
import {
  countGuardReports,
  countSent,
  listBlockedSends,
  listIncidents,
  listMessagesForDrillDown,
  listPreventionFacts,
  type AnalyticsScope,
} from '../db/queries/analytics-queries.ts';
import type { DbOrTx } from '../db/database.ts';
import { listUserNames } from '../db/queries/guard-queries.ts';
import {
  type DeletionMeasures,
  deletionMeasures,
  type IncidentFact,
  isCorrected,
  isDeletedForEveryone,
  isDeletedForMeOnly,
  isEditedOnly,
  isUnverifiable,
  type MeasureOptions,
} from '../domain/analytics/deletion-measures.ts';
import { isUndoSend, mistakeFunnel, type PreventionFact, type PreventionMeasures, preventionMeasures } from '../domain/analytics/prevention-measures.ts';
import { previousPeriod } from '../domain/analytics/period.ts';
import { trend, trustScore } from '../domain/analytics/trust-score.ts';

/**
 * The analytics answers: facts from the database, measures from the domain, for the period and
 * the one before it (docs/analytics.md). Read-only, so a view rather than a command.
 */

const iso = (d: Date) => d.toISOString();
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

async function deletionsFor(db: DbOrTx, scope: AnalyticsScope, options: MeasureOptions): Promise<{ measures: DeletionMeasures; incidents: IncidentFact[] }> {
  const [sent, incidents] = await Promise.all([countSent(db, scope, options.timeZone), listIncidents(db, scope)]);
  return { measures: deletionMeasures(sent, incidents, options), incidents };
}

async function preventionFor(db: DbOrTx, scope: AnalyticsScope): Promise<{ measures: PreventionMeasures; facts: PreventionFact[] }> {
  const [facts, blocked, reports] = await Promise.all([listPreventionFacts(db, scope), listBlockedSends(db, scope), countGuardReports(db, scope)]);
  return { measures: preventionMeasures(facts, blocked, reports), facts };
}

function scalars(m: DeletionMeasures) {
  const { byReason: _r, byReasonForMe: _f, byAgent: _a, customer: _c, series: _s, ...rest } = m;
  return rest;
}

async function namesOf(db: DbOrTx, workspaceId: string) {
  return new Map((await listUserNames(db, workspaceId)).map((u) => [u.id, u.name]));
}

export async function deletionsReport(db: DbOrTx, scope: AnalyticsScope, options: MeasureOptions): Promise<DeletionsResponse> {
  const before = { ...scope, ...previousPeriod(scope) };
  const [current, previous, names] = await Promise.all([deletionsFor(db, scope, options), deletionsFor(db, before, options), namesOf(db, scope.workspaceId)]);
  const m = current.measures;
  const p = previous.measures;
  return {
    period: { from: iso(scope.from), to: iso(scope.to) },
    previousPeriod: { from: iso(before.from), to: iso(before.to) },
    correctionWithinSeconds: options.correctionWithinSeconds,
    timeZone: options.timeZone,
    ...scalars(m),
    byReason: m.byReason,
    byReasonForMe: m.byReasonForMe,
    byAgent: m.byAgent.map((a) => ({ ...a, name: a.agentId ? (names.get(a.agentId) ?? null) : null })),
    customer: m.customer,
    series: m.series,
    previous: scalars(p),
    change: {
      deletionRate: diff(m.deletionRate, p.deletionRate),
      transparencyRate: diff(m.transparencyRate, p.transparencyRate),
      beforeReadRate: diff(m.beforeReadRate, p.beforeReadRate),
      unverifiableRate: diff(m.unverifiableRate, p.unverifiableRate),
    },
  };
}

export async function preventionReport(db: DbOrTx, scope: AnalyticsScope): Promise<PreventionResponse> {
  const before = { ...scope, ...previousPeriod(scope) };
  const [current, previous] = await Promise.all([preventionFor(db, scope), preventionFor(db, before)]);
  return {
    period: { from: iso(scope.from), to: iso(scope.to) },
    previousPeriod: { from: iso(before.from), to: iso(before.to) },
    ...current.measures,
    previous: previous.measures,
  };
}

export async function trustReport(db: DbOrTx, scope: AnalyticsScope, options: MeasureOptions): Promise<Omit<TrustResponse, 'alerts'>> {
  const before = { ...scope, ...previousPeriod(scope) };
  const [current, previous, prevention, names] = await Promise.all([
    deletionsFor(db, scope, options),
    deletionsFor(db, before, options),
    preventionFor(db, scope),
    namesOf(db, scope.workspaceId),
  ]);
  const score = trustScore(current.measures);
  const previousScore = trustScore(previous.measures);
  // Per agent: the same formula over each author's own messages and deletions.
  const agentIds = new Set([...current.measures.byAgent, ...previous.measures.byAgent].map((a) => a.agentId));
  const byAuthor = (incidents: IncidentFact[]) => {
    const groups = new Map<string | null, IncidentFact[]>();
    for (const f of incidents) {
      const list = groups.get(f.agentId);
      if (list) list.push(f);
      else groups.set(f.agentId, [f]);
    }
    return groups;
  };
  const groups = new Map([
    [current, byAuthor(current.incidents)],
    [previous, byAuthor(previous.incidents)],
  ]);
  const perAgent = (facts: { measures: DeletionMeasures; incidents: IncidentFact[] }, agentId: string | null) => {
    const row = facts.measures.byAgent.find((a) => a.agentId === agentId);
    if (!row) return null;
    const mine = deletionMeasures([{ agentId, day: '', sent: row.sent }], groups.get(facts)?.get(agentId) ?? [], options);
    return trustScore(mine);
  };
  const byAgent = [...agentIds]
    .map((agentId) => {
      const s = perAgent(current, agentId);
      const ps = perAgent(previous, agentId);
      const sent = current.measures.byAgent.find((a) => a.agentId === agentId)?.sent ?? 0;
      return { agentId, name: agentId ? (names.get(agentId) ?? null) : null, sent, score: s, previousScore: ps, trend: trend(s, ps) };
    })
    .sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || b.sent - a.sent);
  return {
    period: { from: iso(scope.from), to: iso(scope.to) },
    previousPeriod: { from: iso(before.from), to: iso(before.to) },
    score,
    previousScore,
    trend: trend(score, previousScore),
    byAgent,
    funnel: mistakeFunnel(current.measures, prevention.measures),
  };
}

export type DrillDownMeasure = DrillDownResponse['measure'];
const DRILL_LIMIT = 200;

/** The messages behind a number: the same facts and the same predicates as the measure. */
export async function drillDown(db: DbOrTx, scope: AnalyticsScope, measure: DrillDownMeasure, options: MeasureOptions & { reason?: string | undefined }): Promise<DrillDownResponse> {
  let ids: string[];
  if (measure === 'undo_sends' || measure === 'rejected' || measure === 'acknowledged') {
    const facts = await listPreventionFacts(db, scope);
    const keep: Record<typeof measure, (f: PreventionFact) => boolean> = {
      undo_sends: isUndoSend,
      rejected: (f) => f.approvalRequestedAt !== null && (f.rejections > 0 || f.approvalDecision === 'rejected'),
      acknowledged: (f) => f.acknowledged.length > 0,
    };
    ids = facts.filter(keep[measure]).map((f) => f.messageId);
  } else {
    const incidents = await listIncidents(db, scope);
    const keep: Record<typeof measure, (f: IncidentFact) => boolean> = {
      deleted: isDeletedForEveryone,
      deleted_for_me: isDeletedForMeOnly,
      edited: isEditedOnly,
      before_read: (f) => isDeletedForEveryone(f) && !f.readBeforeRevoke,
      unverifiable: isUnverifiable,
      corrected: (f) => isCorrected(f, options.correctionWithinSeconds),
      not_corrected: (f) => isDeletedForEveryone(f) && !isCorrected(f, options.correctionWithinSeconds),
    };
    ids = incidents
      .filter(keep[measure])
      .filter((f) => !options.reason || (f.revokeReason ?? f.deletedForMeReason) === options.reason)
      .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime())
      .map((f) => f.messageId);
  }
  const rows = await listMessagesForDrillDown(db, scope.workspaceId, ids.slice(0, DRILL_LIMIT));
  return {
    measure,
    total: ids.length,
    items: rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      contactId: r.contact_id,
      contactName: r.contact_name,
      authorUserId: r.author_user_id,
      channelId: r.channel_id,
      text: r.deleted_for_me_at ? null : r.text,
      status: r.status,
      createdAt: iso(r.created_at),
      sentAt: r.sent_at ? iso(r.sent_at) : null,
      revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
      revokeReason: r.revoke_reason,
      editedAt: r.edited_at ? iso(r.edited_at) : null,
    })),
  };
}
