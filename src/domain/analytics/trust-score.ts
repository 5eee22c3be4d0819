import type { DeletionMeasures } from './deletion-measures.ts';

/**
 * The trust score (0–100) of an agent, a team or the workspace over a period (docs/analytics.md).
 * What customers see of our mistakes, not what the guard caught before they left:
 *
 *   visible      = deleted for everyone + ½ × edited after leaving (and not deleted)
 *   frequency    = 1 − min(1, (visible / sent) / 5 %)       — 5 % or more scores 0
 *   transparency = transparency rate (1 when nothing was deleted)
 *   unseen       = 1 − share of deletions that may have been seen (1 when nothing was deleted)
 *   score        = round(100 × (0.5 × frequency + 0.3 × transparency + 0.2 × unseen))
 *
 * Null when nothing was sent: there is nothing to judge.
 */
export const TRUST_WEIGHTS = { frequency: 0.5, transparency: 0.3, unseen: 0.2 } as const;
export const TRUST_VISIBLE_RATE_FLOOR = 0.05;
export const TRUST_EDIT_WEIGHT = 0.5;

export type TrustInputs = Pick<DeletionMeasures, 'sent' | 'deletedForEveryone' | 'edited' | 'transparencyRate' | 'mayHaveBeenSeenRate'>;

export function trustScore(m: TrustInputs): number | null {
  if (m.sent === 0) return null;
  const visible = m.deletedForEveryone + TRUST_EDIT_WEIGHT * m.edited;
  const frequency = 1 - Math.min(1, visible / m.sent / TRUST_VISIBLE_RATE_FLOOR);
  const transparency = m.deletedForEveryone === 0 ? 1 : (m.transparencyRate ?? 0);
  const unseen = m.deletedForEveryone === 0 ? 1 : 1 - (m.mayHaveBeenSeenRate ?? 0);
  const score = 100 * (TRUST_WEIGHTS.frequency * frequency + TRUST_WEIGHTS.transparency * transparency + TRUST_WEIGHTS.unseen * unseen);
  return Math.round(score);
}

/** Current minus previous; null when either is unknown. */
export const trend = (current: number | null, previous: number | null): number | null =>
  current === null || previous === null ? null : current - previous;
