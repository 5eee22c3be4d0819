import type { Message, MistakeKind } from './types.ts';

/**
 * The right price Errata knows for a message: the catalogue price the guard matched when the
 * message was checked (a price finding's `suggestion`). Several different ones: none (the agent
 * says which is which).
 */
export function knownPrice(message: Message): string | undefined {
  const prices = new Set(
    (message.guard?.findings ?? []).filter((f) => f.category === 'price' && f.suggestion).map((f) => f.suggestion as string),
  );
  return prices.size === 1 ? [...prices][0] : undefined;
}

const PRICE_PLACEHOLDER = /\[(?:correct price|prix correct)\]/g;

/** A drafted correction with the parts Errata knows filled in instead of their […] placeholder. */
export function fillKnown(draft: string, known: { price?: string | undefined }): string {
  return known.price ? draft.replace(PRICE_PLACEHOLDER, known.price) : draft;
}

/** A correction being written: kept when the dialog closes, until it is sent (per browser tab). */
export interface CorrectionDraft {
  mistake: MistakeKind;
  deleted: boolean;
  text: string;
}

const KEY = 'errata.correction.';

export function loadDraft(messageId: string): CorrectionDraft | undefined {
  try {
    const raw = sessionStorage.getItem(KEY + messageId);
    return raw ? (JSON.parse(raw) as CorrectionDraft) : undefined;
  } catch {
    return undefined; // storage disabled: drafts are not kept
  }
}

export function saveDraft(messageId: string, draft: CorrectionDraft): void {
  try {
    sessionStorage.setItem(KEY + messageId, JSON.stringify(draft));
  } catch {
    // not kept
  }
}

export function clearDraft(messageId: string): void {
  try {
    sessionStorage.removeItem(KEY + messageId);
  } catch {
    // nothing stored
  }
}
