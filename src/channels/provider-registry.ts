import { createHash } from 'node:crypto';
import type { SecretBox } from '../auth/secret-box.ts';
import type { ChannelRow } from '../db/schema.ts';
import { evolutionChannel } from './evolution/evolution-channel.ts';
import type { ProviderChannel } from './provider-channel.ts';
import { CLOUD_DEFAULT_API_VERSION, CLOUD_DEFAULT_BASE_URL, cloudApiChannel } from './whatsapp-cloud/cloud-api-channel.ts';

/** The secrets of a real channel, as sealed into `channels.secrets`. */
export interface CloudSecrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}
export interface EvolutionSecrets {
  apiKey: string;
}

/** Non-secret settings of a real channel, kept in `channels.config`. */
export interface CloudSettings {
  phoneNumberId: string;
  wabaId: string;
  apiBaseUrl: string;
  apiVersion: string;
}
export interface EvolutionChannelSettings {
  baseUrl: string;
  instance: string;
}

export const CLOUD_SECRET_NAMES = ['accessToken', 'appSecret', 'verifyToken'] as const;
export const EVOLUTION_SECRET_NAMES = ['apiKey'] as const;

export function hashVerifyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function cloudSettings(channel: ChannelRow): CloudSettings {
  const c = channel.config as Partial<CloudSettings>;
  return {
    phoneNumberId: c.phoneNumberId ?? channel.external_id ?? '',
    wabaId: c.wabaId ?? '',
    apiBaseUrl: c.apiBaseUrl ?? CLOUD_DEFAULT_BASE_URL,
    apiVersion: c.apiVersion ?? CLOUD_DEFAULT_API_VERSION,
  };
}

export function evolutionSettings(channel: ChannelRow): EvolutionChannelSettings {
  const c = channel.config as Partial<EvolutionChannelSettings>;
  return { baseUrl: c.baseUrl ?? '', instance: c.instance ?? channel.external_id ?? '' };
}

/** Where the provider must send this channel's webhooks (relative to the server's public URL). */
export function webhookPath(channel: ChannelRow): string | null {
  if (channel.type === 'whatsapp-cloud') return '/webhooks/whatsapp';
  if (channel.type === 'evolution') return `/webhooks/evolution/${channel.id}`;
  return null;
}

interface Entry {
  /** Rebuilt whenever the row changes (a rotated token, a new URL). */
  fingerprint: string;
  provider: ProviderChannel;
  secrets: Record<string, string>;
}

/**
 * Opens channel secrets and builds provider adapters, once per channel version. Secrets live
 * decrypted only in this process's memory, never in logs or answers.
 */
export class ProviderRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly box: SecretBox,
    private readonly options: { timeoutMs: number },
  ) {}

  seal(secrets: Record<string, string>): string {
    return this.box.seal(JSON.stringify(secrets));
  }

  secretsOf(channel: ChannelRow): Record<string, string> {
    return this.entry(channel).secrets;
  }

  providerFor(channel: ChannelRow): ProviderChannel {
    return this.entry(channel).provider;
  }

  private entry(channel: ChannelRow): Entry {
    const fingerprint = `${channel.secrets}|${JSON.stringify(channel.config)}`;
    const hit = this.entries.get(channel.id);
    if (hit && hit.fingerprint === fingerprint) return hit;
    if (!channel.secrets) throw new Error(`channel ${channel.id} has no secrets`);
    const secrets = JSON.parse(this.box.open(channel.secrets)) as Record<string, string>;
    let provider: ProviderChannel;
    if (channel.type === 'whatsapp-cloud') {
      const s = cloudSettings(channel);
      provider = cloudApiChannel({ ...s, accessToken: secrets.accessToken ?? '', timeoutMs: this.options.timeoutMs });
    } else if (channel.type === 'evolution') {
      const s = evolutionSettings(channel);
      provider = evolutionChannel({ ...s, apiKey: secrets.apiKey ?? '', timeoutMs: this.options.timeoutMs });
    } else {
      throw new Error(`channel type ${channel.type} has no provider`);
    }
    const entry = { fingerprint, provider, secrets };
    this.entries.set(channel.id, entry);
    return entry;
  }
}
