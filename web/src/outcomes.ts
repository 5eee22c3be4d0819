import type { Language } from '../../src/contracts/error-codes.ts';
import { honestyText } from './honesty-i18n.ts';
import type { Message } from './types.ts';

/**
 * How far a deletion for everyone or an edit reached the customer's devices, from the per-device
 * outcomes the server reports: `all` applied, `partial` (some device still shows the original:
 * pending, ignored or expired), `unknown` (a channel that confirms nothing), `none` (no device had it).
 */
export type Reach = 'all' | 'partial' | 'unknown' | 'none';

function reachOf(outcomes: readonly { outcome: string }[]): Reach {
  if (outcomes.length === 0) return 'none';
  if (outcomes.some((o) => o.outcome === 'unknown')) return 'unknown';
  return outcomes.every((o) => o.outcome === 'applied') ? 'all' : 'partial';
}

export const deletionReach = (m: Message): Reach => reachOf(m.deletion?.scope === 'everyone' ? m.deletion.outcomes : []);
export const editReach = (m: Message): Reach => reachOf(m.editOutcomes ?? []);

/** "Old tablet: not deleted — outdated app still shows the original; Phone: deleted" */
export function outcomeSummary(m: Message, kind: 'deletion' | 'edit', lang: Language): string {
  const sep = lang === 'fr' ? ' : ' : ': ';
  if (kind === 'deletion') {
    const outcomes = m.deletion?.scope === 'everyone' ? m.deletion.outcomes : [];
    return outcomes
      .map((o) => `${o.deviceLabel ?? honestyText(lang, 'allDevices')}${sep}${honestyText(lang, `outcome_${o.outcome}`)}`)
      .join('; ');
  }
  return (m.editOutcomes ?? []).map((o) => `${o.deviceLabel ?? honestyText(lang, 'allDevices')}${sep}${honestyText(lang, `edit_${o.outcome}`)}`).join('; ');
}
