import type { Language } from '../../src/contracts/error-codes.ts';
import { type ProviderErrorCode, providerErrorMessages } from '../../src/contracts/provider-errors.ts';
import type { Message } from './types.ts';

/** The FR/EN sentence of a neutral provider code (rate_limited, outside_service_window…), or null for any other code. */
export function providerSentence(code: unknown, lang: Language): string | null {
  if (typeof code !== 'string' || !Object.hasOwn(providerErrorMessages, code)) return null;
  return providerErrorMessages[code as ProviderErrorCode][lang];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/**
 * A provider error entry in words: the provider's own message when it gave one, else our sentence
 * for the neutral code, with the provider's code in brackets for support.
 */
export function describeProviderError(entry: Record<string, unknown>, lang: Language): string {
  const words = str(entry.providerMessage) ?? str(entry.message) ?? str(entry.title) ?? providerSentence(entry.code, lang);
  const details = str(entry.details);
  const code = str(entry.providerCode) ?? (providerSentence(entry.code, lang) ? null : str(entry.code));
  const text = [words, details && details !== words ? details : null].filter(Boolean).join(' — ');
  if (!text) return code ?? '?';
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

export interface Refusal {
  action: 'edit' | 'revoke';
  reason: string;
  at: string | null;
}

/** Deletes and edits the provider refused: the customer still sees what they saw before. */
export function refusals(m: Message, lang: Language): Refusal[] {
  return m.providerErrors
    .filter((e) => e.action === 'edit' || e.action === 'revoke')
    .map((e) => ({ action: e.action as Refusal['action'], reason: describeProviderError(e, lang), at: str(e.at) }));
}

/** Why inbound content could not be shown: the provider's reasons, or Errata's own (`type_not_shown`). */
export function contentReasons(m: Message): { notShown: string | null; errors: Record<string, unknown>[] } {
  const errors = m.providerErrors.filter((e) => e.action === undefined && e.status === undefined);
  const own = errors.find((e) => e.code === 'type_not_shown');
  const type = own ? (/"([^"]+)"/.exec(str(own.title) ?? '')?.[1] ?? '?') : null;
  return { notShown: type, errors: errors.filter((e) => e !== own) };
}
