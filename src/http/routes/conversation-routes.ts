import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CommandError, notFound, nouns } from '../../commands/command-error.ts';
import {
  conversationSchema,
  idParams,
  listConversationsQuery,
  listMessagesQuery,
  page,
  startConversationBody,
} from '../../contracts/api-schemas.ts';
import { startConversation } from '../../commands/start-conversation.ts';
import {
  type ConversationCursor,
  getConversation,
  listConversations,
  markConversationRead,
} from '../../db/queries/conversation-queries.ts';
import { type ContentType, summaryOf } from '../../domain/inbound-content.ts';
import { buildThreadPage } from '../../views/thread-view.ts';
import { threadItemSchema } from '../../contracts/inbox-schemas.ts';

const tags = ['conversations'];

type ConversationRowWithContact = Awaited<ReturnType<typeof listConversations>>[number];

export function toConversation(row: ConversationRowWithContact) {
  return {
    id: row.id,
    channelId: row.channel_id,
    contact: { id: row.contact_id, name: row.contact_name, phone: row.contact_phone, handle: row.contact_handle, language: row.contact_language },
    // What was actually said last (never a draft or a replaced version); the list keeps its activity order.
    lastMessageAt: row.said_at ? new Date(row.said_at).toISOString() : null,
    // With its kind's mark, as the inbox summarises a message ("↩ Annuler", "📷 [image]").
    lastMessageText: row.said_deleted || row.said_text === null || row.said_text === undefined ? null : summaryOf(row.said_content_type as ContentType, row.said_text),
    lastMessageDeleted: row.said_deleted === true,
    unreadCount: row.unread_count,
    status: row.status,
    snoozedUntil: row.snoozed_until ? new Date(row.snoozed_until).toISOString() : null,
    assigneeId: row.assignee_id,
    labels: row.labels,
  };
}

function encodeCursor(row: ConversationRowWithContact): string {
  return Buffer.from(JSON.stringify([row.last_message_at?.toISOString() ?? null, row.id])).toString('base64url');
}

const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** A cursor we made, or a 400: a UUID and a date PostgreSQL can compare (never a 500 on a forged one). */
function decodeCursor(cursor: string): ConversationCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('bad cursor');
    const [at, id] = decoded as unknown[];
    if (typeof id !== 'string' || !CURSOR_ID.test(id)) throw new Error('bad cursor');
    if (at !== null && (typeof at !== 'string' || !CURSOR_AT.test(at) || Number.isNaN(Date.parse(at)))) throw new Error('bad cursor');
    return { lastMessageAt: at ? new Date(at) : null, id };
  } catch {
    throw new CommandError('validation_failed', { en: 'Invalid cursor.', fr: 'Curseur invalide.' }, { field: 'cursor' });
  }
}

export function conversationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/conversations',
      {
        schema: {
          tags,
          summary: 'Conversations, most recent first (search by name, phone or last message; filter by assignee — me, unassigned or a user id —, status and label)',
          querystring: listConversationsQuery,
          response: { 200: page(conversationSchema) },
        },
      },
      async (request) => {
        const { limit, cursor, q, assignee, status, label } = request.query;
        const rows = await listConversations(ctx.db, request.principal.workspaceId, {
          limit: limit + 1,
          after: cursor ? decodeCursor(cursor) : undefined,
          search: q?.trim() || undefined,
          assigneeId: assignee === 'me' ? request.principal.userId : assignee === 'unassigned' ? null : assignee,
          status,
          label,
        });
        const items = rows.slice(0, limit);
        return {
          items: items.map(toConversation),
          nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null,
        };
      },
    );

    app.post(
      '/conversations',
      {
        schema: {
          tags,
          summary: 'Open the conversation with a contact so the team can write first (201 created empty, 200 when it exists)',
          body: startConversationBody,
          response: { 200: conversationSchema, 201: conversationSchema },
        },
      },
      async (request, reply) => {
        const { workspaceId, userId, role } = request.principal;
        const opened = await startConversation(ctx, { workspaceId, actor: { userId, role }, ...request.body });
        const row = await getConversation(ctx.db, workspaceId, opened.id);
        if (!row) throw notFound(nouns.conversation);
        return reply.code(opened.created ? 201 : 200).send(toConversation(row));
      },
    );

    app.get(
      '/conversations/:id',
      { schema: { tags, params: idParams, response: { 200: conversationSchema } } },
      async (request) => {
        const row = await getConversation(ctx.db, request.principal.workspaceId, request.params.id);
        if (!row) throw notFound(nouns.conversation);
        return toConversation(row);
      },
    );

    app.post(
      '/conversations/:id/read',
      { schema: { tags, summary: 'The team has read this conversation (unread count back to 0)', params: idParams, response: { 204: z.null() } } },
      async (request, reply) => {
        if (!(await markConversationRead(ctx.db, request.principal.workspaceId, request.params.id))) {
          throw notFound(nouns.conversation);
        }
        ctx.bus.publish([
          {
            type: 'conversation.read',
            workspaceId: request.principal.workspaceId,
            conversationId: request.params.id,
            messageId: null,
            at: ctx.clock.now().toISOString(),
          },
        ]);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/conversations/:id/messages',
      {
        schema: {
          tags,
          summary: 'Messages (`kind: "message"`) and internal notes (`kind: "note"`) of a conversation, newest first (deleted-for-me messages only with includeHidden=true)',
          params: idParams,
          querystring: listMessagesQuery,
          response: { 200: page(threadItemSchema) },
        },
      },
      async (request) => {
        const { workspaceId } = request.principal;
        const conversation = await getConversation(ctx.db, workspaceId, request.params.id);
        if (!conversation) throw notFound(nouns.conversation);
        const { limit, cursor, includeHidden } = request.query;
        return buildThreadPage(ctx.db, workspaceId, conversation.id, {
          limit,
          before: cursor ? Number(cursor) : undefined,
          includeHidden: includeHidden === 'true',
        });
      },
    );
  };
}
