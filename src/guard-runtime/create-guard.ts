// A ready-to-use guard: the pure domain checks wired to the Hunspell speller.

import { decideVerdict, defaultGuardPolicy, type RunGuardOptions, runGuard } from '../domain/guard/index.ts';
import type { GuardDecision, GuardFinding, GuardInput, GuardPolicy } from '../domain/guard/types.ts';
import { type HunspellSpeller, loadHunspellSpeller } from './hunspell-speller.ts';
import { loadNameGender } from './name-gender.ts';
import { loadToneModel } from './tone-model-file.ts';

export interface Guard {
  check(input: GuardInput, options?: Pick<RunGuardOptions, 'only'>): GuardFinding[];
  decide(input: GuardInput, policy?: GuardPolicy): GuardDecision & { findings: GuardFinding[] };
  /** Milliseconds it took to load the WebAssembly module and the dictionaries. */
  readyMs: number;
  dispose(): void;
}

const WARM_UP = [
  'Bonjour Alex, le croissant est à 1,20 €. Appelez le 06 12 34 56 78 ou écrivez à a.b@example.fr, 3 rue de la Paix. Merci !',
  'Hi Alex, the croissant is £1.20. Call 020 7946 0958 or email a.b@example.com, 10 Downing Street. Thanks!',
];

export interface CreateGuardOptions {
  /** Workspace country for phone numbers without an international prefix. */
  defaultRegion?: string;
  /** Skip Hunspell (no spelling findings); for callers that only need the other checks. */
  spelling?: boolean;
}

export async function createGuard(options: CreateGuardOptions = {}): Promise<Guard> {
  const started = performance.now();
  const speller: HunspellSpeller | undefined = options.spelling === false ? undefined : await loadHunspellSpeller();
  const deps = { speller, defaultRegion: options.defaultRegion ?? 'FR', toneModel: loadToneModel(), nameGender: loadNameGender() };
  const depsPiiOnly = { ...deps, only: undefined as RunGuardOptions['only'] };
  const check = (input: GuardInput, extra?: Pick<RunGuardOptions, 'only'>): GuardFinding[] => {
    if (extra?.only === undefined) return runGuard(input, deps);
    depsPiiOnly.only = extra.only;
    return runGuard(input, depsPiiOnly);
  };
  // One check per language compiles the regexes and loads the phone metadata before the first real message.
  for (const text of WARM_UP) check({ text, catalog: [{ name: 'Croissant', price: 1.2 }], recipient: { name: 'Alex' } });
  const readyMs = performance.now() - started;
  return {
    check,
    decide(input, policy = defaultGuardPolicy) {
      const findings = check(input);
      return { ...decideVerdict(findings, policy), findings };
    },
    readyMs,
    dispose() {
      speller?.dispose();
    },
  };
}
