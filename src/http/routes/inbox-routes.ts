import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app-context.ts';
import { notFound, nouns } from '../../commands/command-error.ts';
import { addConversationNote } from '../../commands/inbox/add-conversation-note.ts';
import { assignConversation } from '../../commands/inbox/assign-conversation.ts';
import { changeConversationStatus } from '../../commands/inbox/change-conversation-status.ts';
import { changeAssignmentMode } from '../../commands/inbox/set-assignment-mode.ts';
import { setLabels } from '../../commands/inbox/set-conversation-labels.ts';
import { conversationSchema, idParams } from '../../contracts/api-schemas.ts';
import {
  assignBody,
  assignmentSettingsBody,
  assignmentSettingsSchema,
  changeStatusBody,
  labelListSchema,
  labelsBody,
  noteBody,
  noteSchema,
} from '../../contracts/inbox-schemas.ts';
import { getConversation } from '../../db/queries/conversation-queries.ts';
import { getAssignmentMode, listWorkspaceLabels } from '../../db/queries/inbox-queries.ts';
import { toNoteView } from '../../views/thread-view.ts';
import type { Principal } from '../authentication.ts';
import { toConversation } from './conversation-routes.ts';

const tags = ['conversations'];
const actorOf = (p: Principal) => ({ workspaceId: p.workspaceId, userId: p.userId, role: p.role });

/** Team inbox (issue 14): status, assignment, labels and internal notes of conversations. */
export function inboxRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const current = async (workspaceId: string, id: string) => {
      const row = await getConversation(ctx.db, workspaceId, id);
      if (!row) throw notFound(nouns.conversation);
      return toConversation(row);
    };

    app.post(
      '/conversations/:id/status',
      {
        schema: {
          tags,
          summary: 'Open, pending, snoozed until a time, or resolved (a customer’s message reopens resolved and snoozed ones)',
          params: idParams,
          body: changeStatusBody,
          response: { 200: conversationSchema },
        },
      },
      async (request) => {
        const { status, snoozeUntil } = request.body;
        await changeConversationStatus(ctx, actorOf(request.principal), {
          conversationId: request.params.id,
          status,
          snoozeUntil: snoozeUntil ? new Date(snoozeUntil) : undefined,
        });
        return current(request.principal.workspaceId, request.params.id);
      },
    );

    app.post(
      '/conversations/:id/assign',
      {
        schema: {
          tags,
          summary: 'Give the conversation to a teammate, or to no one (agents take unassigned ones and give back their own)',
          params: idParams,
          body: assignBody,
          response: { 200: conversationSchema },
        },
      },
      async (request) => {
        await assignConversation(ctx, actorOf(request.principal), { conversationId: request.params.id, userId: request.body.userId });
        return current(request.principal.workspaceId, request.params.id);
      },
    );

    app.post(
      '/conversations/:id/labels',
      {
        schema: { tags, summary: 'Set the conversation’s labels (the whole set)', params: idParams, body: labelsBody, response: { 200: conversationSchema } },
      },
      async (request) => {
        await setLabels(ctx, actorOf(request.principal), { conversationId: request.params.id, labels: request.body.labels });
        return current(request.principal.workspaceId, request.params.id);
      },
    );

    app.post(
      '/conversations/:id/notes',
      {
        schema: {
          tags,
          summary: 'Write an internal note in the thread: the team sees it, the customer never does (no channel receives it); @mentions notify',
          params: idParams,
          body: noteBody,
          response: { 201: noteSchema },
        },
      },
      async (request, reply) => {
        const note = await addConversationNote(ctx, actorOf(request.principal), { conversationId: request.params.id, text: request.body.text });
        return reply.code(201).send(toNoteView(note));
      },
    );

    app.get(
      '/labels',
      { schema: { tags, summary: 'The workspace’s conversation labels, with how many conversations carry each', response: { 200: labelListSchema } } },
      async (request) => ({ items: await listWorkspaceLabels(ctx.db, request.principal.workspaceId) }),
    );

    app.get(
      '/workspace/assignment',
      { schema: { tags, summary: 'How new conversations are assigned: manual, or round-robin among active agents', response: { 200: assignmentSettingsSchema } } },
      async (request) => ({ mode: (await getAssignmentMode(ctx.db, request.principal.workspaceId))?.assignment_mode ?? 'manual' }),
    );

    app.put(
      '/workspace/assignment',
      {
        schema: {
          tags,
          summary: 'Choose manual or round-robin assignment of new conversations (admins)',
          body: assignmentSettingsBody,
          response: { 200: assignmentSettingsSchema },
        },
      },
      async (request) => {
        await changeAssignmentMode(ctx, actorOf(request.principal), request.body.mode);
        return { mode: request.body.mode };
      },
    );
  };
}
