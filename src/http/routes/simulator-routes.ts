import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { CommandError } from '../../commands/command-error.ts';
import {
  addDevice,
  customerReads,
  customerReplies,
  customerScreens,
  updateSimulatorDevice,
} from '../../commands/simulator-customer.ts';
import {
  addDeviceBody,
  customerReadBody,
  customerReplyBody,
  deviceParams,
  deviceSchema,
  idParams,
  messageSchema,
  screenSchema,
  updateDeviceBody,
} from '../../contracts/api-schemas.ts';
import type { DeviceRow } from '../../db/schema.ts';
import { canWrite } from '../../domain/actor.ts';
import { buildMessageViews } from '../../views/message-view.ts';
import type { Principal } from '../authentication.ts';

const tags = ['simulator'];

const toDevice = (row: DeviceRow) => ({
  id: row.id,
  contactId: row.contact_id,
  label: row.label,
  clientVersion: row.client_version,
  online: row.online,
});

function requireWriter(principal: Principal) {
  if (!canWrite(principal)) throw new CommandError('forbidden');
}

/** The customer's side, for training and tests: their devices, reads, replies and screens. */
export function simulatorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/simulator/contacts/:id/devices',
      { schema: { tags, params: idParams, body: addDeviceBody, response: { 201: deviceSchema } } },
      async (request, reply) => {
        requireWriter(request.principal);
        const row = await addDevice(ctx, request.principal.workspaceId, request.params.id, request.body);
        return reply.code(201).send(toDevice(row));
      },
    );

    app.patch(
      '/simulator/contacts/:id/devices/:deviceId',
      {
        schema: {
          tags,
          summary: 'Take a device offline or online, or change its app version; it catches up when online',
          params: deviceParams,
          body: updateDeviceBody,
          response: { 200: deviceSchema },
        },
      },
      async (request) => {
        requireWriter(request.principal);
        const row = await updateSimulatorDevice(
          ctx,
          request.principal.workspaceId,
          request.params.id,
          request.params.deviceId,
          request.body,
        );
        return toDevice(row);
      },
    );

    app.post(
      '/simulator/contacts/:id/read',
      {
        schema: {
          tags,
          summary: 'The customer reads the chat (on one device, or on every online one)',
          params: idParams,
          body: customerReadBody,
          response: { 200: z.object({ readMessageIds: z.array(z.uuid()) }) },
        },
      },
      async (request) => {
        requireWriter(request.principal);
        return customerReads(ctx, request.principal.workspaceId, request.params.id, request.body?.deviceId);
      },
    );

    app.post(
      '/simulator/contacts/:id/reply',
      {
        schema: { tags, summary: 'The customer replies', params: idParams, body: customerReplyBody, response: { 201: messageSchema } },
      },
      async (request, reply) => {
        requireWriter(request.principal);
        const row = await customerReplies(ctx, request.principal.workspaceId, request.params.id, request.body);
        const [view] = await buildMessageViews(ctx.db, request.principal.workspaceId, [row]);
        return reply.code(201).send(view!);
      },
    );

    app.get(
      '/simulator/contacts/:id/screen',
      { schema: { tags, summary: 'What each of the customer’s devices shows', params: idParams, response: { 200: screenSchema } } },
      async (request) => {
        const screens = await customerScreens(ctx, request.principal.workspaceId, request.params.id);
        return {
          ...screens,
          devices: screens.devices.map((d) => ({
            device: d.device,
            lines: d.lines.map((l) => ({ ...l, at: l.at.toISOString() })),
          })),
        };
      },
    );
  };
}
