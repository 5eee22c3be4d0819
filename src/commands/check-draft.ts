import type { AppContext } from '../app-context.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { loadedGuard } from '../guard-runtime/deferred-guard.ts';
import { listRecentHistory } from '../db/queries/guard-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { findAmounts } from '../domain/guard/amounts.ts';
import { decideVerdict } from '../domain/guard/policy.ts';
import type { GuardAction, GuardDecision, GuardFinding, GuardInput } from '../domain/guard/types.ts';
import { decideSend, type SendDecision } from '../domain/send-decision.ts';
import { notFound, nouns } from './command-error.ts';

export interface DraftInput {
  workspaceId: string;
  actor: Actor;
  text: string;
  contactId?: string | undefined;
  channelId?: string | undefined;
  holdSeconds?: number | undefined;
  acknowledge?: readonly string[] | undefined;
}

export interface FindingView extends GuardFinding {
  action: GuardAction;
}

export interface DraftCheck {
  channel: ChannelRow;
  decision: GuardDecision;
  findings: FindingView[];
  send: SendDecision;
}

const HISTORY_MESSAGES = 10;

/**
 * Runs the pre-send guard on a draft with everything the workspace knows: the recipient, the
 * business's own details, the catalogue, the staff, recent contacts and — when the draft has a
 * figure in it — earlier messages with this contact (quotes to compare prices with).
 */
export async function checkDraft(ctx: AppContext, input: DraftInput): Promise<DraftCheck> {
  const [data, channel, contact] = await Promise.all([
    ctx.guardData.get(ctx.db, input.workspaceId),
    ctx.channels.pick(ctx.db, input.workspaceId, input.channelId),
    input.contactId
      ? ctx.contacts.get(`${input.workspaceId}:${input.contactId}`, () =>
          getContact(ctx.db, input.workspaceId, input.contactId!),
        )
      : undefined,
  ]);
  if (!channel) throw notFound(nouns.channel);
  if (input.contactId && !contact) throw notFound(nouns.contact);
  // Only the price check reads the history, and only to compare amounts: no amount, no query.
  const history =
    contact && findAmounts(input.text).length > 0
      ? await listRecentHistory(ctx.db, input.workspaceId, contact.id, HISTORY_MESSAGES)
      : [];
  const guardInput: GuardInput = {
    text: input.text,
    region: data.country,
    ...(contact ? { recipient: { name: contact.name, phone: contact.phone ?? undefined } } : {}),
    business: data.business,
    agent: { name: data.userNames.get(input.actor.userId) ?? '' },
    catalog: data.catalog,
    history: history.map((h) => ({ from: h.direction === 'out' ? ('business' as const) : ('customer' as const), text: h.text })),
    otherContacts: data.recentContacts.filter((c) => c.id !== contact?.id).map((c) => ({ name: c.name })),
    ...(data.allow.length > 0 ? { allow: data.allow } : {}),
  };
  const findings = (await loadedGuard(ctx.guard)).check(guardInput);
  const decision = decideVerdict(findings, data.policy.policy);
  const send = decideSend({
    guard: decision,
    acknowledge: input.acknowledge ?? [],
    baseHoldSeconds: input.holdSeconds ?? channel.default_hold_seconds,
    warnHoldSeconds: data.policy.warnHoldSeconds,
  });
  return {
    channel,
    decision,
    findings: decision.actions.map((a) => ({ ...a.finding, action: a.action })),
    send,
  };
}
