import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { channelRules, simulatorSettings } from '../../channels/channel-rules.ts';
import { cancelMessage } from '../../commands/cancel-message.ts';
import { notFound, nouns } from '../../commands/command-error.ts';
import { deleteMessage } from '../../commands/delete-message.ts';
import { editMessage } from '../../commands/edit-message.ts';
import { restoreMessage } from '../../commands/restore-message.ts';
import { sendMessage } from '../../commands/send-message.ts';
import {
  deleteMessageBody,
  editMessageBody,
  idParams,
  messageSchema,
  remediesQuery,
  remediesSchema,
  sendMessageBody,
} from '../../contracts/api-schemas.ts';
import { getChannel } from '../../db/queries/channel-queries.ts';
import { getMessage, listEvents } from '../../db/queries/message-queries.ts';
import { listDevices } from '../../db/queries/simulator-queries.ts';
import { countDevicesIgnoringChanges } from '../../domain/device-delivery.ts';
import type { MessageRow } from '../../db/schema.ts';
import { editableUntil, revocableUntil } from '../../domain/message-lifecycle.ts';
import { adviseRemedies } from '../../domain/remedy-advisor.ts';
import { buildMessageViews, newMessageView } from '../../views/message-view.ts';
import type { Principal } from '../authentication.ts';

const actorOf = (p: Principal) => ({ userId: p.userId, role: p.role });
const tags = ['messages'];
const eventSchema = z.object({
  seq: z.number(),
  type: z.string(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export function messageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const view = async (workspaceId: string, row: MessageRow) => (await buildMessageViews(ctx.db, workspaceId, [row]))[0]!;

  return async (app) => {
    app.post(
      '/messages',
      {
        schema: {
          tags,
          summary: 'Send a message (it may first sit in its hold window)',
          body: sendMessageBody,
          response: { 200: messageSchema, 202: messageSchema },
        },
      },
      async (request, reply) => {
        const { message, created, channel } = await sendMessage(ctx, {
          workspaceId: request.principal.workspaceId,
          actor: actorOf(request.principal),
          ...request.body,
        });
        // 202 when accepted now; 200 when an idempotency key answers with an earlier message.
        const body = channel ? newMessageView(message, channel) : await view(request.principal.workspaceId, message);
        return reply.code(created ? 202 : 200).send(body);
      },
    );

    app.get(
      '/messages/:id',
      { schema: { tags, summary: 'A message with its versions, deletion and per-device outcomes', params: idParams, response: { 200: messageSchema } } },
      async (request) => {
        const row = await getMessage(ctx.db, request.principal.workspaceId, request.params.id);
        if (!row) throw notFound(nouns.message);
        return view(request.principal.workspaceId, row);
      },
    );

    app.get(
      '/messages/:id/events',
      {
        schema: {
          tags,
          summary: 'The append-only history of a message',
          params: idParams,
          response: { 200: z.object({ items: z.array(eventSchema) }) },
        },
      },
      async (request) => {
        const row = await getMessage(ctx.db, request.principal.workspaceId, request.params.id);
        if (!row) throw notFound(nouns.message);
        const events = await listEvents(ctx.db, request.principal.workspaceId, row.id);
        return {
          items: events.map((e) => ({
            seq: e.seq,
            type: e.type,
            at: e.at.toISOString(),
            actorUserId: e.actor_user_id,
            data: e.data,
          })),
        };
      },
    );

    app.post(
      '/messages/:id/cancel',
      { schema: { tags, summary: 'Undo send, while the message is held', params: idParams, response: { 200: messageSchema } } },
      async (request) => {
        const row = await cancelMessage(ctx, request.principal.workspaceId, request.params.id, actorOf(request.principal));
        return view(request.principal.workspaceId, row);
      },
    );

    app.post(
      '/messages/:id/edit',
      {
        schema: { tags, summary: 'Edit within the edit window', params: idParams, body: editMessageBody, response: { 200: messageSchema } },
      },
      async (request) => {
        const row = await editMessage(
          ctx,
          request.principal.workspaceId,
          request.params.id,
          actorOf(request.principal),
          request.body.text,
        );
        return view(request.principal.workspaceId, row);
      },
    );

    app.post(
      '/messages/:id/delete',
      {
        schema: {
          tags,
          summary: 'Delete for me, or for everyone within the revoke window',
          params: idParams,
          body: deleteMessageBody,
          response: { 200: messageSchema },
        },
      },
      async (request) => {
        const row = await deleteMessage(
          ctx,
          request.principal.workspaceId,
          request.params.id,
          actorOf(request.principal),
          request.body,
        );
        return view(request.principal.workspaceId, row);
      },
    );

    app.post(
      '/messages/:id/restore',
      { schema: { tags, summary: 'Undo delete for me', params: idParams, response: { 200: messageSchema } } },
      async (request) => {
        const row = await restoreMessage(ctx, request.principal.workspaceId, request.params.id, actorOf(request.principal));
        return view(request.principal.workspaceId, row);
      },
    );

    app.get(
      '/messages/:id/remedies',
      {
        schema: {
          tags,
          summary: 'The remedy advisor: possible fixes for a mistake, ranked and explained',
          params: idParams,
          querystring: remediesQuery,
          response: { 200: remediesSchema },
        },
      },
      async (request) => {
        const { workspaceId } = request.principal;
        const row = await getMessage(ctx.db, workspaceId, request.params.id);
        if (!row) throw notFound(nouns.message);
        const channel = await getChannel(ctx.db, workspaceId, row.channel_id);
        if (!channel) throw notFound(nouns.channel);
        const rules = channelRules(channel);
        // The simulator knows the customer's devices: an outdated app will ignore an edit or a deletion.
        const devicesIgnoringChanges =
          channel.type === 'simulator' && row.direction === 'out'
            ? countDevicesIgnoringChanges(
                (await listDevices(ctx.db, workspaceId, row.contact_id)).map((d) => ({ createdAt: d.created_at, clientVersion: d.client_version })),
                row.sent_at,
                simulatorSettings(channel).minClientVersion,
              )
            : 0;
        const remedies = adviseRemedies({
          status: row.status as Parameters<typeof adviseRemedies>[0]['status'],
          direction: row.direction,
          read: row.read_at !== null,
          revoked: row.revoked_at !== null,
          deletedForMe: row.deleted_for_me_at !== null,
          holdUntil: row.hold_until,
          revocableUntil: revocableUntil({ sentAt: row.sent_at }, rules),
          editableUntil: editableUntil({ sentAt: row.sent_at }, rules),
          capabilities: rules.capabilities,
          mistake: request.query.mistake,
          now: ctx.clock.now(),
          devicesIgnoringChanges,
        });
        return { messageId: row.id, mistake: request.query.mistake, remedies };
      },
    );
  };
}
