import type { AppContext } from '../app-context.ts';
import { getContact } from '../db/queries/contact-queries.ts';
import { openConversation } from '../db/queries/conversation-queries.ts';
import { type Actor, canWrite } from '../domain/actor.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

export interface StartConversationInput {
  workspaceId: string;
  actor: Actor;
  contactId: string;
  channelId?: string | undefined;
}

/**
 * Opens the conversation with a contact on a channel (the workspace's default one unless given)
 * so the team can write first: an empty conversation is created, an existing one is returned
 * unchanged. Nothing reaches the customer until a message is sent in it.
 */
export async function startConversation(ctx: AppContext, input: StartConversationInput): Promise<{ id: string; created: boolean }> {
  if (!canWrite(input.actor)) throw new CommandError('forbidden');
  const [contact, channel] = await Promise.all([
    getContact(ctx.db, input.workspaceId, input.contactId),
    ctx.channels.pick(ctx.db, input.workspaceId, input.channelId),
  ]);
  if (!contact) throw notFound(nouns.contact);
  if (!channel) throw notFound(nouns.channel);
  const opened = await openConversation(ctx.db, {
    id: crypto.randomUUID(),
    workspaceId: input.workspaceId,
    // A contact found to be someone already known lives on as that contact.
    contactId: contact.merged_into_id ?? contact.id,
    channelId: channel.id,
    at: ctx.clock.now(),
  });
  if (opened.created) {
    ctx.bus.publish([
      {
        type: 'conversation.started',
        workspaceId: input.workspaceId,
        conversationId: opened.id,
        messageId: null,
        at: ctx.clock.now().toISOString(),
      },
    ]);
  }
  return opened;
}
