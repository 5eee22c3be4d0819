/**
 * Who a customer is. WhatsApp names a person by a phone number, by a business-scoped user id
 * (BSUID, when they hide their number behind a username) or — through WhatsApp Web gateways —
 * by a LID (`…@lid`), and a payload may carry several at once. A contact holds any of them; one
 * payload naming two contacts proves they are one person, and they are merged (nothing removed:
 * the absorbed contact stays, pointing at the one kept).
 */
export type IdentityKind = 'phone' | 'bsuid' | 'lid';

export interface ContactIdentity {
  /** E.164. */
  phone?: string | undefined;
  /** Cloud API business-scoped user id, e.g. `US.13491208655302741918`. */
  bsuid?: string | undefined;
  /** WhatsApp Web linked id, the full JID `…@lid`. */
  lid?: string | undefined;
}

export interface IdentityMatch {
  contactId: string;
  kind: IdentityKind;
  value: string;
  /** The matched contact's current phone. */
  contactPhone: string | null;
}

export interface IdentityLink {
  kind: 'bsuid' | 'lid';
  value: string;
}

export type IdentityPlan =
  | { action: 'create'; phone: string | null; attach: IdentityLink[] }
  | { action: 'use'; contactId: string; setPhone: string | null; attach: IdentityLink[]; absorb: string[] };

export function hasIdentity(identity: ContactIdentity): boolean {
  return Boolean(identity.phone || identity.bsuid || identity.lid);
}

/** What to call someone we know nothing else about. */
export function identityLabel(identity: ContactIdentity): string {
  return identity.phone ?? identity.bsuid ?? identity.lid?.replace(/@lid$/, '') ?? '?';
}

/**
 * Which contact an incoming identity belongs to, given the contacts its parts matched: the one
 * its phone matched (replies go to a number first), else the first match; every other matched
 * contact is merged into it, and the parts it lacks are attached.
 */
export function planContactIdentity(identity: ContactIdentity, matches: readonly IdentityMatch[]): IdentityPlan {
  const wanted: IdentityLink[] = [];
  if (identity.bsuid) wanted.push({ kind: 'bsuid', value: identity.bsuid });
  if (identity.lid) wanted.push({ kind: 'lid', value: identity.lid });
  if (matches.length === 0) return { action: 'create', phone: identity.phone ?? null, attach: wanted };

  const byPhone = identity.phone ? matches.find((m) => m.kind === 'phone' && m.value === identity.phone) : undefined;
  const keep = (byPhone ?? matches[0]!).contactId;
  const absorb = [...new Set(matches.map((m) => m.contactId))].filter((id) => id !== keep);
  const attach = wanted.filter((w) => !matches.some((m) => m.contactId === keep && m.kind === w.kind && m.value === w.value));
  const keepPhone = matches.find((m) => m.contactId === keep)!.contactPhone;
  const setPhone = identity.phone && !keepPhone && !byPhone ? identity.phone : null;
  return { action: 'use', contactId: keep, setPhone, attach, absorb };
}

/** The address a reply goes to: a number when we have one, else the id the provider accepts. */
export type ReplyAddress = { kind: 'phone'; value: string } | { kind: 'bsuid'; value: string } | { kind: 'lid'; value: string };

export function replyAddress(channelType: string, identity: ContactIdentity): ReplyAddress | null {
  if (identity.phone) return { kind: 'phone', value: identity.phone };
  if (channelType === 'whatsapp-cloud' && identity.bsuid) return { kind: 'bsuid', value: identity.bsuid };
  if (channelType === 'evolution' && identity.lid) return { kind: 'lid', value: identity.lid };
  return null;
}
