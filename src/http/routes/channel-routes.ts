import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { channelRules, simulatorSettings } from '../../channels/channel-rules.ts';
import { type ChannelActor, changeChannel, createChannel } from '../../commands/create-channel.ts';
import {
  CLOUD_SECRET_NAMES,
  cloudSettings,
  EVOLUTION_SECRET_NAMES,
  evolutionSettings,
  webhookPath,
} from '../../channels/provider-registry.ts';
import { channelSchema, createChannelBody, idParams, updateChannelBody } from '../../contracts/api-schemas.ts';
import { listChannels } from '../../db/queries/channel-queries.ts';
import type { ChannelRow } from '../../db/schema.ts';
import type { Principal } from '../authentication.ts';

const tags = ['channels'];

/** Roles are decided by the commands' can('channels.manage'). */
const actorOf = (p: Principal): ChannelActor => ({ kind: 'user', userId: p.userId, role: p.role });

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
    provider: providerView(row),
    createdAt: row.created_at.toISOString(),
  };
}

/** Never the secrets themselves: which ones are stored, so an admin knows what to rotate. */
function providerView(row: ChannelRow) {
  if (row.type === 'simulator') return null;
  const settings: Record<string, string> =
    row.type === 'whatsapp-cloud' ? { ...cloudSettings(row) } : { ...evolutionSettings(row) };
  return {
    settings,
    ratePerSecond: row.rate_per_second,
    webhookPath: webhookPath(row) ?? '',
    secretsStored: row.secrets ? [...(row.type === 'whatsapp-cloud' ? CLOUD_SECRET_NAMES : EVOLUTION_SECRET_NAMES)] : [],
  };
}

export function channelRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/channels',
      { schema: { tags, summary: 'Create a channel', body: createChannelBody, response: { 201: channelSchema } } },
      async (request, reply) => {
        const row = await createChannel(ctx, actorOf(request.principal), { workspaceId: request.principal.workspaceId, ...request.body });
        return reply.code(201).send(toChannel(row));
      },
    );

    app.patch(
      '/channels/:id',
      {
        schema: {
          tags,
          summary:
            'Rename, re-pace or rotate the secrets of a channel (secrets are write-only); change its default hold and, on a simulator, its windows and phones',
          params: idParams,
          body: updateChannelBody,
          response: { 200: channelSchema },
        },
      },
      async (request) => {
        const { workspaceId } = request.principal;
        return toChannel(await changeChannel(ctx, actorOf(request.principal), workspaceId, request.params.id, request.body));
      },
    );

    app.get(
      '/channels',
      { schema: { tags, summary: 'Channels of the workspace', response: { 200: z.object({ items: z.array(channelSchema) }) } } },
      async (request) => ({ items: (await listChannels(ctx.db, request.principal.workspaceId)).map(toChannel) }),
    );
  };
}
