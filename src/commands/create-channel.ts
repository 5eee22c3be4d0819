import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import {
  CLOUD_SECRET_NAMES,
  EVOLUTION_SECRET_NAMES,
  hashVerifyToken,
} from '../channels/provider-registry.ts';
import { channelRules, simulatorSettings } from '../channels/channel-rules.ts';
import { CLOUD_DEFAULT_API_VERSION, CLOUD_DEFAULT_BASE_URL } from '../channels/whatsapp-cloud/cloud-api-channel.ts';
import type { createChannelBody, updateChannelBody } from '../contracts/api-schemas.ts';
import { findChannelByExternalId, getChannel, insertChannel, listChannels, updateChannel } from '../db/queries/channel-queries.ts';
import { recordTeamEvents, type TeamEvent } from '../db/queries/team-queries.ts';
import type { ChannelRow } from '../db/schema.ts';
import { can, type Role } from '../domain/actor.ts';
import { type ChannelType, defaultProfiles, windowsConfigurable } from '../domain/channel-profile.ts';
import { CommandError, notFound, nouns } from './command-error.ts';
import { inTransaction } from './unit-of-work.ts';

export type CreateChannelInput = z.infer<typeof createChannelBody> & { workspaceId: string };
export type UpdateChannelInput = z.infer<typeof updateChannelBody>;

/** An admin through the API, or Errata's own first start (the demo channel). */
export type ChannelActor = { kind: 'user'; userId: string; role: Role } | { kind: 'cli' };

function requireManage(actor: ChannelActor) {
  if (actor.kind === 'user' && !can({ userId: actor.userId, role: actor.role }, 'channels.manage')) throw new CommandError('forbidden');
}

/** Channel changes go to the workspace's who-did-what record, with their actor and never a secret. */
function channelEvent(actor: ChannelActor, workspaceId: string, type: string, at: Date, data: Record<string, unknown>): TeamEvent {
  return { workspaceId, actorUserId: actor.kind === 'user' ? actor.userId : null, actorKind: actor.kind, type, at, data };
}

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
export async function createChannel(ctx: AppContext, actor: ChannelActor, input: CreateChannelInput): Promise<ChannelRow> {
  requireManage(actor);
  const defaults = defaultProfiles[input.type];
  const windows = (['revokeWindowSeconds', 'editWindowSeconds'] as const).filter((k) => input[k] !== undefined);
  if (windows.length > 0 && !windowsConfigurable[input.type]) throw windowsFixed(input.type, windows);
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
    await inTransaction(ctx, async (uow) => {
      await insertChannel(uow.trx, row);
      await recordTeamEvents(uow.trx, [
        channelEvent(actor, row.workspace_id, 'channel.created', row.created_at, {
          channelId: row.id,
          channelType: row.type,
          name: row.name,
          revokeWindowSeconds: row.revoke_window_seconds,
          editWindowSeconds: row.edit_window_seconds,
          defaultHoldSeconds: row.default_hold_seconds,
          ...(row.type === 'simulator' ? { simulator: row.config } : { ratePerSecond: row.rate_per_second }),
        }),
      ]);
    });
  } catch (error) {
    // Two admins connecting the same number at once: the unique index decides.
    if ((error as { code?: string }).code === '23505') throw new CommandError('conflict', numberTaken, { field: 'config' });
    throw error;
  }
  ctx.channels.invalidate(input.workspaceId);
  return row;
}

/**
 * Renames, re-paces or rotates the secrets of a channel, changes its default hold and, on the
 * simulator, its windows and how the simulated phones behave. Secrets given replace the stored
 * ones. What changed (from → to; for secrets only their names) is recorded with its actor.
 */
export async function changeChannel(
  ctx: AppContext,
  actor: ChannelActor,
  workspaceId: string,
  channelId: string,
  input: UpdateChannelInput,
): Promise<ChannelRow> {
  requireManage(actor);
  const updated = await inTransaction(ctx, async (uow) => {
    const channel = await getChannel(uow.trx, workspaceId, channelId);
    if (!channel) throw notFound(nouns.channel);
    const patch: Partial<ChannelRow> = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const effective = channelRules(channel).profile;
    const set = <K extends keyof ChannelRow>(column: K, field: string, value: ChannelRow[K] | undefined, current: unknown = channel[column]) => {
      if (value === undefined || value === current) return;
      patch[column] = value;
      changes[field] = { from: current, to: value };
    };
    set('name', 'name', input.name);
    set('default_hold_seconds', 'defaultHoldSeconds', input.defaultHoldSeconds);

    const windows = (['revokeWindowSeconds', 'editWindowSeconds'] as const).filter((k) => input[k] !== undefined);
    if (windows.length > 0 && !windowsConfigurable[channel.type]) throw windowsFixed(channel.type, windows);
    set('revoke_window_seconds', 'revokeWindowSeconds', input.revokeWindowSeconds, effective.revokeWindowSeconds);
    set('edit_window_seconds', 'editWindowSeconds', input.editWindowSeconds, effective.editWindowSeconds);

    if (input.simulator) {
      if (channel.type !== 'simulator') throw invalidFor(channel, ['simulator']);
      const config: Record<string, unknown> = { ...channel.config };
      const current: Record<string, unknown> = { ...simulatorSettings(channel) };
      for (const [name, value] of Object.entries(input.simulator)) {
        if (value === undefined || current[name] === value) continue;
        changes[`simulator.${name}`] = { from: current[name], to: value };
        config[name] = value;
      }
      patch.config = config;
    }

    if (input.ratePerSecond !== undefined) {
      if (channel.type === 'simulator') throw invalidFor(channel, ['ratePerSecond']);
      set('rate_per_second', 'ratePerSecond', input.ratePerSecond);
    }
    const secretsReplaced: string[] = [];
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
        if (secretNames.includes(name)) {
          secrets[name] = value;
          secretsReplaced.push(name);
        } else {
          if (config[name] !== value) changes[`config.${name}`] = { from: config[name] ?? null, to: value };
          config[name] = value;
        }
      }
      patch.secrets = ctx.providers.seal(secrets);
      patch.config = config;
      if (channel.type === 'evolution' && input.config.baseUrl) patch.external_id = `${input.config.baseUrl}#${String(config.instance ?? '')}`;
      if (input.config.verifyToken) patch.verify_token_hash = hashVerifyToken(input.config.verifyToken);
    }
    if (Object.keys(changes).length === 0 && secretsReplaced.length === 0) return channel;
    const row = await updateChannel(uow.trx, channel.id, patch);
    await recordTeamEvents(uow.trx, [
      channelEvent(actor, workspaceId, 'channel.changed', ctx.clock.now(), {
        channelId: channel.id,
        changes,
        ...(secretsReplaced.length > 0 ? { secretsReplaced } : {}),
      }),
    ]);
    return row;
  });
  ctx.channels.invalidate(workspaceId);
  return updated;
}

const typeNoun: Record<ChannelType, { en: string; fr: string }> = {
  simulator: { en: 'simulator', fr: 'simulateur' },
  'whatsapp-cloud': { en: 'WhatsApp Cloud API', fr: 'WhatsApp Cloud API' },
  evolution: { en: 'Evolution API', fr: 'Evolution API' },
};

/** Windows asked of a channel whose windows WhatsApp decides: said plainly, never silently ignored. */
function windowsFixed(type: ChannelType, fields: string[]) {
  const message =
    type === 'whatsapp-cloud'
      ? {
          en: 'The WhatsApp Cloud API cannot delete or edit a sent message: there is no window to set. The hold before sending is the only way back.',
          fr: 'L’API WhatsApp Cloud ne peut ni supprimer ni modifier un message envoyé : il n’y a pas de délai à régler. La retenue avant envoi est le seul retour possible.',
        }
      : {
          en: 'WhatsApp sets the delete-for-everyone and edit windows of an Evolution API channel (about 60 h and 15 min): Errata cannot change them.',
          fr: 'WhatsApp fixe les délais de suppression pour tous et de modification d’un canal Evolution API (environ 60 h et 15 min) : Errata ne peut pas les changer.',
        };
  return new CommandError('validation_failed', message, { fields, reason: 'windows_set_by_provider' });
}

function invalidFor(channel: ChannelRow, fields: string[]) {
  return new CommandError(
    'validation_failed',
    {
      en: `These settings do not apply to a ${typeNoun[channel.type].en} channel: ${fields.join(', ')}.`,
      fr: `Ces réglages ne s’appliquent pas à un canal ${typeNoun[channel.type].fr} : ${fields.join(', ')}.`,
    },
    { fields },
  );
}
