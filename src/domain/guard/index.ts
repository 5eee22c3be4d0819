// Pre-send guard: pure checks over one outgoing message (PRODUCT.md §5). No I/O: the spell checker
// and the workspace region are injected; see src/guard-runtime for the Hunspell-backed speller.

import { applyAllowList } from './allowlist.ts';
import { checkPii } from './pii.ts';
import { checkPrice } from './price.ts';
import { checkRecipient, type NameGender } from './recipient.ts';
import { checkSpelling } from './spelling.ts';
import { detectLanguage, foldText, sanitizeText } from './text.ts';
import { checkTone } from './tone.ts';
import type { ToneModel } from './tone-model.ts';
import type { GuardCategory, GuardDeps, GuardFinding, GuardInput, GuardLang } from './types.ts';

export { classifySlip, formatPrice } from './price.ts';
export { findAmounts, parseNumber } from './amounts.ts';
export { cardNetwork, isValidCard, isValidIban, isValidNir, luhnValid } from './checksums.ts';
export { formatMessage, guardMessages } from './messages.ts';
export { actionFor, decideVerdict, defaultGuardPolicy, strongestAction } from './policy.ts';
export { detectLanguage } from './text.ts';
export { parseToneModel, type ToneModel, type ToneModelFile } from './tone-model.ts';
export type * from './types.ts';

export const GUARD_CATEGORIES: readonly GuardCategory[] = ['pii', 'price', 'recipient', 'tone', 'spelling'];

export interface RunGuardOptions extends GuardDeps {
  /** Run only these categories (the benchmark times PII alone). */
  only?: readonly GuardCategory[];
  /** The trained tone model (src/guard-runtime loads it); without it tone falls back to the phrase lexicon. */
  toneModel?: ToneModel;
  /** First-name gender lists (src/guard-runtime loads them), for a civility that contradicts the recipient. */
  nameGender?: NameGender;
}

export function messageLanguage(input: GuardInput, folded?: string): GuardLang {
  return input.lang === 'fr' || input.lang === 'en' ? input.lang : detectLanguage(input.text ?? '', 'en', folded);
}

/**
 * The message as the checks see it. Folded text and language are computed on first use: PII alone
 * needs neither unless it finds something. (A class rather than closures keeps the hot path free of
 * per-call function allocations.)
 */
class MessageView {
  private foldedText: string | undefined;
  private detected: GuardLang | undefined;

  constructor(
    readonly text: string,
    readonly input: GuardInput,
    readonly region: string,
  ) {}

  get folded(): string {
    if (this.foldedText === undefined) this.foldedText = foldText(this.text);
    return this.foldedText;
  }

  get lang(): GuardLang {
    if (this.detected === undefined) {
      // The sanitized text votes like the original: U+FFFD and a lone surrogate are both not letters.
      const lang = this.input.lang;
      this.detected = lang === 'fr' || lang === 'en' ? lang : detectLanguage(this.text);
    }
    return this.detected;
  }
}

// Region codes come back with every message: upper-case each distinct spelling once.
const regions = new Map<string, string>();
function upperRegion(region: string): string {
  let upper = regions.get(region);
  if (upper === undefined) {
    upper = region.toUpperCase();
    if (regions.size > 1000) regions.clear();
    regions.set(region, upper);
  }
  return upper;
}

function wants(only: readonly GuardCategory[] | undefined, category: GuardCategory): boolean {
  return only === undefined || only.includes(category);
}

export function runGuard(input: GuardInput, deps: RunGuardOptions = {}): GuardFinding[] {
  const raw = input?.text;
  if (typeof raw !== 'string' || raw.length === 0) return [];
  // Lone surrogates become U+FFFD (same length), so offsets still point into the original text.
  const text = sanitizeText(raw);
  const view = new MessageView(text, input, upperRegion(input.region ?? deps.defaultRegion ?? 'FR'));
  const only = deps.only;
  // PII alone (what the send path checks first): nothing else to look up.
  if (only !== undefined && only.length === 1 && only[0] === 'pii') return checkPii(view);
  let findings: GuardFinding[] = wants(only, 'pii') ? checkPii(view) : [];
  const { folded, lang } = view;
  if (wants(only, 'price')) findings = findings.concat(checkPrice(text, folded, lang, input));
  if (wants(only, 'recipient')) findings = findings.concat(checkRecipient(text, folded, lang, input, deps.nameGender));
  if (wants(only, 'tone')) findings = findings.concat(checkTone(text, folded, lang, deps.toneModel));
  if (wants(only, 'spelling')) {
    // Personal data and names already flagged are not spelling mistakes too.
    const flagged = findings.filter((f) => f.category === 'pii' || f.category === 'recipient');
    for (const f of checkSpelling(text, lang, input, deps.speller)) {
      if (!flagged.some((g) => g.start < f.end && f.start < g.end)) findings.push(f);
    }
  }
  return applyAllowList(findings.sort((a, b) => a.start - b.start || a.end - b.end), text, input.allow);
}
