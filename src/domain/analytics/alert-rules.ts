import type { AgentDeletions, DeletionMeasures, IncidentFact } from './deletion-measures.ts';

/**
 * Deletion-health alerts (issue 17): a workspace's thresholds, which conditions hold now, and how
 * that compares with the alerts already raised (raise once, clear once). Pure.
 */
export interface AlertSettings {
  /** Over this share of sent messages deleted for everyone (0.03 = 3 %). Null: rule off. */
  deletionRateAbove: number | null;
  /** Under this transparency rate (0.8 = 80 %). Null: rule off. */
  transparencyBelow: number | null;
  /** An agent over this many times the team's median deletion rate. Null: rule off. */
  agentFactorAbove: number | null;
  /** The rules look at the messages sent during the last this many days. */
  windowDays: number;
  /** A rate on fewer messages sent than this says nothing: the rule waits (the workspace, or the agent). */
  minSent: number;
  /** The transparency window (a deletion is "followed by a correction" within it). */
  correctionWithinSeconds: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  deletionRateAbove: 0.03,
  transparencyBelow: 0.8,
  agentFactorAbove: 2,
  windowDays: 7,
  minSent: 20,
  correctionWithinSeconds: 3_600,
};

/** The team median is floored at 1 %: with a median of 0, one deletion would make anybody "k times" it. */
export const AGENT_MEDIAN_FLOOR = 0.01;

export type AlertKind = 'deletion_rate' | 'transparency' | 'agent_outlier';

export interface AlertCondition {
  kind: AlertKind;
  agentId: string | null;
  value: number;
  threshold: number;
}

export const alertKey = (a: { kind: AlertKind; agentId: string | null }) => `${a.kind}:${a.agentId ?? ''}`;

/**
 * Deletions whose correction window is still open at `now` are not judged yet: the correction
 * may still come. The transparency rule reads only the others.
 */
export function settledDeletions(incidents: readonly IncidentFact[], now: Date, withinSeconds: number): IncidentFact[] {
  return incidents.filter((f) => !f.revokedAt || now.getTime() - f.revokedAt.getTime() > withinSeconds * 1000);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Which conditions hold, from the window's measures (`settled`: the same with open correction windows left out). */
export function activeConditions(settings: AlertSettings, all: DeletionMeasures, settled: Pick<DeletionMeasures, 'deletedForEveryone' | 'transparencyRate'>): AlertCondition[] {
  const out: AlertCondition[] = [];
  if (settings.deletionRateAbove !== null && all.sent >= settings.minSent && all.deletionRate !== null && all.deletionRate > settings.deletionRateAbove) {
    out.push({ kind: 'deletion_rate', agentId: null, value: all.deletionRate, threshold: settings.deletionRateAbove });
  }
  if (settings.transparencyBelow !== null && settled.deletedForEveryone > 0 && settled.transparencyRate !== null && settled.transparencyRate < settings.transparencyBelow) {
    out.push({ kind: 'transparency', agentId: null, value: settled.transparencyRate, threshold: settings.transparencyBelow });
  }
  if (settings.agentFactorAbove !== null) {
    const agents = all.byAgent.filter((a): a is AgentDeletions & { agentId: string; deletionRate: number } => a.agentId !== null && a.sent >= settings.minSent && a.deletionRate !== null);
    const teamMedian = median(agents.map((a) => a.deletionRate));
    if (teamMedian !== null && agents.length >= 2) {
      const limit = settings.agentFactorAbove * Math.max(teamMedian, AGENT_MEDIAN_FLOOR);
      for (const a of agents) {
        if (a.deletionRate > limit) out.push({ kind: 'agent_outlier', agentId: a.agentId, value: a.deletionRate, threshold: limit });
      }
    }
  }
  return out;
}

/** What to raise (conditions with no open alert) and what to clear (open alerts whose condition no longer holds). */
export function reconcileAlerts<T extends { kind: AlertKind; agentId: string | null }>(open: readonly T[], active: readonly AlertCondition[]): { raise: AlertCondition[]; clear: T[] } {
  const openKeys = new Set(open.map(alertKey));
  const activeKeys = new Set(active.map(alertKey));
  return { raise: active.filter((a) => !openKeys.has(alertKey(a))), clear: open.filter((o) => !activeKeys.has(alertKey(o))) };
}

/** Backoff of the outgoing alert webhook: 10 s, 30 s, 1 min 30, 4 min 30, … capped at 1 h; 8 attempts in all. */
export const WEBHOOK_MAX_ATTEMPTS = 8;
export function webhookRetryDelaySeconds(attempt: number): number {
  return Math.min(3_600, 10 * 3 ** Math.max(0, attempt - 1));
}
