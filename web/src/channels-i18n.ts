import { useMemo } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';
import { fill, type MessageKey, translate, useI18n } from './i18n.tsx';

/** Strings of the admin Channels page, kept out of the first load (the page is code-split).
 * `fr` is typed against `en`, as in i18n.tsx. */
const en = {
  channelsTitle: 'Channels',
  channelType_simulator: 'Simulator (training)',
  'channelType_whatsapp-cloud': 'WhatsApp Cloud API',
  channelType_evolution: 'Evolution API gateway',
  defaultChannel: 'default',
  yes: 'Yes',
  no: 'No',
  none: 'None',
  capDeleteForEveryone: 'Delete for everyone',
  capEdit: 'Edit',
  capConfirmsRevoke: 'Confirms deletions',
  defaultHold: 'Default hold',
  ratePerSecond: 'Messages per second',
  ratePerSecondHint: 'Your number’s limit (80 by default, up to 1,000).',
  webhookUrl: 'Webhook URL',
  secretsStored: 'Secrets stored',
  field_phoneNumberId: 'Phone number ID',
  field_wabaId: 'WhatsApp Business Account ID',
  field_accessToken: 'Access token',
  field_appSecret: 'App secret',
  field_verifyToken: 'Verify token',
  field_apiBaseUrl: 'API base URL',
  field_apiVersion: 'Graph API version',
  apiVersionHint: 'For example v23.0.',
  field_baseUrl: 'Gateway URL',
  field_apiKey: 'API key',
  field_instance: 'Instance',
  connectTitle: 'Connect a WhatsApp number',
  channelTypeLabel: 'Connection',
  channelName: 'Channel name',
  optionalField: '{label} (optional)',
  secretsNeverShown: 'Secrets are stored encrypted and never shown again. Give the webhook URL to Meta or Evolution once the channel is listed above.',
  connect: 'Connect',
  connecting: 'Connecting…',
  channelConnected: 'Channel connected.',
  fixFieldsBelow: 'Some fields need correcting: each one says why.',
};

export type ChannelKey = keyof typeof en;

const fr: Record<ChannelKey, string> = {
  channelsTitle: 'Canaux',
  channelType_simulator: 'Simulateur (formation)',
  'channelType_whatsapp-cloud': 'WhatsApp Cloud API',
  channelType_evolution: 'Passerelle Evolution API',
  defaultChannel: 'par défaut',
  yes: 'Oui',
  no: 'Non',
  none: 'Aucun',
  capDeleteForEveryone: 'Supprimer pour tous',
  capEdit: 'Modifier',
  capConfirmsRevoke: 'Confirme les suppressions',
  defaultHold: 'Délai de retenue par défaut',
  ratePerSecond: 'Messages par seconde',
  ratePerSecondHint: 'La limite de votre numéro (80 par défaut, jusqu’à 1 000).',
  webhookUrl: 'URL du webhook',
  secretsStored: 'Secrets enregistrés',
  field_phoneNumberId: 'ID du numéro de téléphone',
  field_wabaId: 'ID du compte WhatsApp Business',
  field_accessToken: 'Jeton d’accès',
  field_appSecret: 'Clé secrète de l’app',
  field_verifyToken: 'Jeton de vérification',
  field_apiBaseUrl: 'URL de base de l’API',
  field_apiVersion: 'Version de l’API Graph',
  apiVersionHint: 'Par exemple v23.0.',
  field_baseUrl: 'URL de la passerelle',
  field_apiKey: 'Clé API',
  field_instance: 'Instance',
  connectTitle: 'Connecter un numéro WhatsApp',
  channelTypeLabel: 'Connexion',
  channelName: 'Nom du canal',
  optionalField: '{label} (facultatif)',
  secretsNeverShown: 'Les secrets sont chiffrés et ne sont plus jamais affichés. Donnez l’URL du webhook à Meta ou à Evolution une fois le canal listé ci-dessus.',
  connect: 'Connecter',
  connecting: 'Connexion…',
  channelConnected: 'Canal connecté.',
  fixFieldsBelow: 'Certains champs sont à corriger : chacun indique pourquoi.',
};

const dictionaries: Record<Language, Record<ChannelKey, string>> = { en, fr };

/** `t` for the Channels page: its own keys, then the app's. */
export function useChannelsText() {
  const { lang } = useI18n();
  const t = useMemo(
    () => (key: ChannelKey | MessageKey, vars?: Record<string, string | number>) =>
      key in en ? fill(dictionaries[lang][key as ChannelKey], vars) : translate(lang, key as MessageKey, vars),
    [lang],
  );
  return { t, lang };
}
