import { describe, expect, it } from 'vitest';
import { defaultGuardPolicy } from './guard/policy.ts';
import { DEFAULT_WARN_HOLD_SECONDS, effectiveGuardPolicy } from './guard-settings.ts';

describe('effectiveGuardPolicy', () => {
  it('is the default policy when the workspace stored nothing', () => {
    expect(effectiveGuardPolicy(null)).toEqual({ policy: defaultGuardPolicy, warnHoldSeconds: DEFAULT_WARN_HOLD_SECONDS });
  });

  it('overrides only what the workspace changed', () => {
    const { policy } = effectiveGuardPolicy({
      categories: { spelling: 'pass' },
      kinds: { 'pii.phone': 'block' },
      holdExtensionSeconds: { tone: 60 },
    });
    expect(policy.categories).toEqual({ ...defaultGuardPolicy.categories, spelling: 'pass' });
    expect(policy.kinds).toEqual({ ...defaultGuardPolicy.kinds, 'pii.phone': 'block' });
    expect(policy.holdExtensionSeconds).toEqual({ tone: 60 });
  });
});
