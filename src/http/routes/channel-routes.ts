import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { channelRules, simulatorSettings } from '../../channels/channel-rules.ts';
import { CommandError } from '../../commands/command-error.ts';
import { createChannel } from '../../commands/create-channel.ts';
import { channelSchema, createChannelBody } from '../../contracts/api-schemas.ts';
import { listChannels } from '../../db/queries/channel-queries.ts';
import type { ChannelRow } from '../../db/schema.ts';

const tags = ['channels'];

export function toChannel(row: ChannelRow) {
  const rules = channelRules(row);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    isDefault: row.is_default,
    revokeWindowSeconds: rules.profile.revokeWindowSeconds,
    editWindowSeconds: rules.profile.editWindowSeconds,
    defaultHoldSeconds: rules.profile.defaultHoldSeconds,
    capabilities: rules.capabilities,
    simulator: row.type === 'simulator' ? simulatorSettings(row) : null,
    createdAt: row.created_at.toISOString(),
  };
}

export function channelRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/channels',
      { schema: { tags, summary: 'Create a channel', body: createChannelBody, response: { 201: channelSchema } } },
      async (request, reply) => {
        if (request.principal.role !== 'admin') throw new CommandError('forbidden');
        const { simulator, ...rest } = request.body;
        const row = await createChannel(ctx, { workspaceId: request.principal.workspaceId, ...rest, simulator });
        return reply.code(201).send(toChannel(row));
      },
    );

    app.get(
      '/channels',
      { schema: { tags, summary: 'Channels of the workspace', response: { 200: z.object({ items: z.array(channelSchema) }) } } },
      async (request) => ({ items: (await listChannels(ctx.db, request.principal.workspaceId)).map(toChannel) }),
    );
  };
}
