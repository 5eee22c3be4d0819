import { defaultGuardPolicy } from './guard/policy.ts';
import type { GuardAction, GuardCategory, GuardKind, GuardPolicy } from './guard/types.ts';

/** What a workspace stores: only its departures from the defaults. */
export interface StoredGuardPolicy {
  categories?: Partial<Record<GuardCategory, GuardAction>>;
  kinds?: Partial<Record<string, GuardAction>>;
  holdExtensionSeconds?: Partial<Record<GuardCategory, number>>;
}

/** A warning with no category-specific extension still buys the author this much extra undo time. */
export const DEFAULT_WARN_HOLD_SECONDS = 15;

export interface EffectiveGuardPolicy {
  policy: GuardPolicy;
  warnHoldSeconds: number;
}

export function effectiveGuardPolicy(stored: StoredGuardPolicy | null | undefined): EffectiveGuardPolicy {
  const s = stored ?? {};
  return {
    policy: {
      categories: { ...defaultGuardPolicy.categories, ...definedOnly(s.categories) },
      kinds: { ...defaultGuardPolicy.kinds, ...(definedOnly(s.kinds) as Partial<Record<GuardKind, GuardAction>>) },
      holdExtensionSeconds: { ...defaultGuardPolicy.holdExtensionSeconds, ...definedOnly(s.holdExtensionSeconds) },
    },
    warnHoldSeconds: DEFAULT_WARN_HOLD_SECONDS,
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
