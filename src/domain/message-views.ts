import type { Bilingual, Language } from '../contracts/error-codes.ts';
import type { DeviceCopy } from './device-delivery.ts';

/** The words WhatsApp users know, in both languages (PRODUCT.md §3). */
export const lifecycleLabels = {
  deletedForRecipient: { fr: 'Ce message a été supprimé', en: 'This message was deleted' },
  deletedBySender: { fr: 'Vous avez supprimé ce message', en: 'You deleted this message' },
  removedByAdmin: { fr: 'Supprimé par un administrateur', en: 'This message was removed by an admin' },
  edited: { fr: 'Modifié', en: 'Edited' },
} as const satisfies Record<string, Bilingual>;

export interface ScreenLine {
  messageId: string;
  from: 'business' | 'customer';
  kind: 'text' | 'tombstone';
  text: string;
  edited: boolean;
  editedLabel: string | null;
  read: boolean;
  /** When it was sent (what WhatsApp shows), not when this device received it. */
  at: Date;
  /** The earlier message it quotes, as this device shows that one (null when it does not have it). */
  quoted?: { messageId: string; kind: 'text' | 'tombstone'; text: string } | null;
  /** An image or document shown on the line. */
  media?: { kind: 'image' | 'document'; url: string; filename: string | null; size: number } | null;
}

export interface ScreenMessage {
  id: string;
  direction: 'out' | 'in';
  createdAt: Date;
  /** When it left for the customer (the time their phone shows); null for customer messages. */
  sentAt?: Date | null;
  /** Text of each version, by version number. */
  versions: ReadonlyMap<number, string>;
  sentVersion: number | null;
}

/**
 * What one of the customer's devices shows: messages it received, in its owner's language.
 * A revoke applied on it leaves the tombstone; one it ignored or got too late leaves the
 * original; an edit shows the "Edited" label only if the device applied it.
 */
export function deviceScreenLine(
  message: ScreenMessage,
  copy: DeviceCopy | undefined,
  language: Language,
): ScreenLine | null {
  if (message.direction === 'in') {
    const text = message.versions.get(1) ?? '';
    return {
      messageId: message.id,
      from: 'customer',
      kind: 'text',
      text,
      edited: false,
      editedLabel: null,
      read: true,
      at: message.createdAt,
    };
  }
  if (!copy?.deliveredAt) return null;
  if (copy.revokeOutcome === 'applied') {
    return {
      messageId: message.id,
      from: 'business',
      kind: 'tombstone',
      text: lifecycleLabels.deletedForRecipient[language],
      edited: false,
      editedLabel: null,
      read: copy.readAt !== null,
      at: message.sentAt ?? copy.deliveredAt,
    };
  }
  const edited = copy.shownVersion > (message.sentVersion ?? 1);
  return {
    messageId: message.id,
    from: 'business',
    kind: 'text',
    text: message.versions.get(copy.shownVersion) ?? '',
    edited,
    editedLabel: edited ? lifecycleLabels.edited[language] : null,
    read: copy.readAt !== null,
    at: message.sentAt ?? copy.deliveredAt,
  };
}

/** What the team sees in place of a message it deleted for everyone. */
export function senderView(message: { revokedAt: Date | null; text: string; editedAt: Date | null }, language: Language) {
  if (message.revokedAt) {
    return { kind: 'tombstone' as const, label: lifecycleLabels.deletedBySender[language] };
  }
  return {
    kind: 'text' as const,
    label: message.editedAt ? lifecycleLabels.edited[language] : null,
  };
}
