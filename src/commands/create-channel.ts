import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import {
  CLOUD_SECRET_NAMES,
  EVOLUTION_SECRET_NAMES,
  hashVerifyToken,
} from '../channels/provider-registry.ts';
import { CLOUD_DEFAULT_API_VERSION, CLOUD_DEFAULT_BASE_URL } from '../channels/whatsapp-cloud/cloud-api-channel.ts';
import type { createChannelBody, updateChannelBody } from '../contracts/api-schemas.ts';
import { findChannelByExternalId, getChannel, insertChannel, listChannels, updateChannel } from '../db/queries/channel-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { defaultProfiles } from '../domain/channel-profile.ts';
import { CommandError, notFound, nouns } from './command-error.ts';

export type CreateChannelInput = z.infer<typeof createChannelBody> & { workspaceId: string };
export type UpdateChannelInput = z.infer<typeof updateChannelBody>;

const DEFAULT_RATE_PER_SECOND = 80;

const numberTaken = {
  en: 'This WhatsApp number (or gateway instance) is already connected to a channel.',
  fr: 'Ce numéro WhatsApp (ou cette instance de passerelle) est déjà relié à un canal.',
};

/**
 * A channel. Real channels keep their secrets sealed (AES-256-GCM) in the row; only which
 * secrets exist is ever shown again. A business number can back only one channel, since its
 * webhooks are routed by it.
 */
export async function createChannel(ctx: AppContext, input: CreateChannelInput): Promise<ChannelRow> {
  const defaults = defaultProfiles[input.type];
  const existing = await listChannels(ctx.db, input.workspaceId);
  const base: ChannelRow = {
    id: crypto.randomUUID(),
    workspace_id: input.workspaceId,
    type: input.type,
    name: input.name,
    revoke_window_seconds: input.revokeWindowSeconds ?? defaults.revokeWindowSeconds,
    edit_window_seconds: input.editWindowSeconds ?? defaults.editWindowSeconds,
    default_hold_seconds: input.defaultHoldSeconds ?? defaults.defaultHoldSeconds,
    config: {},
    is_default: existing.length === 0,
    created_at: ctx.clock.now(),
    external_id: null,
    secrets: null,
    verify_token_hash: null,
    rate_per_second: DEFAULT_RATE_PER_SECOND,
  };
  let row: ChannelRow;
  if (input.type === 'simulator') {
    row = { ...base, config: { ...(input.simulator ?? {}) } };
  } else if (input.type === 'whatsapp-cloud') {
    const c = input.config;
    row = {
      ...base,
      config: {
        phoneNumberId: c.phoneNumberId,
        wabaId: c.wabaId,
        apiBaseUrl: c.apiBaseUrl ?? CLOUD_DEFAULT_BASE_URL,
        apiVersion: c.apiVersion ?? CLOUD_DEFAULT_API_VERSION,
      },
      external_id: c.phoneNumberId,
      secrets: ctx.providers.seal({ accessToken: c.accessToken, appSecret: c.appSecret, verifyToken: c.verifyToken }),
      verify_token_hash: hashVerifyToken(c.verifyToken),
      rate_per_second: input.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
    };
  } else {
    const c = input.config;
    row = {
      ...base,
      config: { baseUrl: c.baseUrl, instance: c.instance },
      external_id: `${c.baseUrl}#${c.instance}`,
      secrets: ctx.providers.seal({ apiKey: c.apiKey }),
      rate_per_second: input.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
    };
  }
  if (row.external_id && (await findChannelByExternalId(ctx.db, row.type, row.external_id))) {
    throw new CommandError('conflict', numberTaken, { field: 'config' });
  }
  try {
    await insertChannel(ctx.db, row);
  } catch (error) {
    // Two admins connecting the same number at once: the unique index decides.
    if ((error as { code?: string }).code === '23505') throw new CommandError('conflict', numberTaken, { field: 'config' });
    throw error;
  }
  ctx.channels.invalidate(input.workspaceId);
  return row;
}

/** Renames, re-paces or rotates the secrets of a channel. Secrets given replace the stored ones. */
export async function changeChannel(ctx: AppContext, workspaceId: string, channelId: string, input: UpdateChannelInput): Promise<ChannelRow> {
  const channel = await getChannel(ctx.db, workspaceId, channelId);
  if (!channel) throw notFound(nouns.channel);
  const patch: Partial<ChannelRow> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.defaultHoldSeconds !== undefined) patch.default_hold_seconds = input.defaultHoldSeconds;
  if (input.ratePerSecond !== undefined) {
    if (channel.type === 'simulator') throw invalidFor(channel, ['ratePerSecond']);
    patch.rate_per_second = input.ratePerSecond;
  }
  if (input.config) {
    const names = Object.keys(input.config);
    const allowed: readonly string[] =
      channel.type === 'whatsapp-cloud'
        ? [...CLOUD_SECRET_NAMES, 'apiBaseUrl', 'apiVersion']
        : channel.type === 'evolution'
          ? [...EVOLUTION_SECRET_NAMES, 'baseUrl']
          : [];
    const wrong = names.filter((n) => !allowed.includes(n));
    if (wrong.length > 0) throw invalidFor(channel, wrong);
    const secretNames: readonly string[] = channel.type === 'whatsapp-cloud' ? CLOUD_SECRET_NAMES : EVOLUTION_SECRET_NAMES;
    const secrets = { ...ctx.providers.secretsOf(channel) };
    const config = { ...channel.config };
    for (const [name, value] of Object.entries(input.config)) {
      if (value === undefined) continue;
      if (secretNames.includes(name)) secrets[name] = value;
      else config[name] = value;
    }
    patch.secrets = ctx.providers.seal(secrets);
    patch.config = config;
    if (channel.type === 'evolution' && input.config.baseUrl) patch.external_id = `${input.config.baseUrl}#${String(config.instance ?? '')}`;
    if (input.config.verifyToken) patch.verify_token_hash = hashVerifyToken(input.config.verifyToken);
  }
  const updated = await updateChannel(ctx.db, channel.id, patch);
  ctx.channels.invalidate(workspaceId);
  return updated;
}

function invalidFor(channel: ChannelRow, fields: string[]) {
  return new CommandError(
    'validation_failed',
    {
      en: `These settings do not apply to a ${channel.type} channel: ${fields.join(', ')}.`,
      fr: `Ces réglages ne s’appliquent pas à un canal ${channel.type} : ${fields.join(', ')}.`,
    },
    { fields },
  );
}
