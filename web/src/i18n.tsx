import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Language } from '../../src/contracts/error-codes.ts';

/**
 * Every string a person reads, in English and French. `fr` is typed against `en`, so a key
 * missing in one language does not compile. `{name}` placeholders are filled by `t(key, vars)`.
 */
const en = {
  appName: 'Errata',
  skipToContent: 'Skip to content',
  language: 'Language',
  languageName: 'English',
  switchTo: 'Français',
  switchToLabel: 'Passer en français',
  // Sign-in
  signInTitle: 'Sign in to your team inbox',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name} ({role})',
  badCredentials: 'Wrong email or password.',
  role_admin: 'admin',
  role_supervisor: 'supervisor',
  role_agent: 'agent',
  role_auditor: 'auditor',
  // Navigation
  nav: 'Main',
  inbox: 'Inbox',
  approvals: 'Approvals',
  approvalsCount: 'Approvals ({count} waiting)',
  // Conversation list
  conversations: 'Conversations',
  search: 'Search',
  searchPlaceholder: 'Name, phone or text',
  noConversations: 'No conversations.',
  noMatches: 'No conversation matches “{q}”.',
  loadMore: 'Load more',
  loading: 'Loading…',
  unread: '{count} unread',
  noMessagesYet: 'No messages yet',
  back: 'Back to conversations',
  pickConversation: 'Choose a conversation to read and reply.',
  // Thread
  thread: 'Messages with {name}',
  olderMessages: 'Older messages',
  showHidden: 'Show messages deleted for me',
  you: 'You',
  customer: 'Customer',
  status_held: 'Held — sends in {time}',
  status_held_due: 'Sending…',
  status_awaiting_approval: 'Awaiting approval',
  status_queued: 'Queued',
  status_sent: 'Sent',
  status_delivered: 'Delivered',
  status_read: 'Read',
  status_failed: 'Failed',
  status_cancelled: 'Cancelled — never sent',
  status_rejected: 'Rejected',
  status_received: 'Received',
  failedBecause: 'Failed: {reason}',
  rejectedBecause: 'Rejected by a reviewer: {reason}',
  undo: 'Undo',
  undoHint: 'Undo send (Alt+Z)',
  undone: 'Sending cancelled. The customer never received it.',
  edited: 'Edited',
  youDeleted: 'You deleted this message',
  deletedForCustomer: 'This message was deleted',
  originalKept: 'Original (kept in the record, hidden from the customer)',
  deletedForMe: 'Deleted for you',
  restore: 'Restore',
  outcomes: 'On the customer’s devices',
  outcome_applied: 'deleted',
  outcome_pending: 'pending — offline, will apply when it reconnects',
  outcome_ignored: 'not deleted — outdated app still shows the original',
  outcome_expired: 'not deleted — the request reached it too late',
  outcome_unknown: 'unknown — this channel confirms nothing',
  maybeSeen: 'May have been seen',
  maybeSeenExplain: 'The customer may have seen the original: {reasons}.',
  maybeSeen_read_before_revoke: 'it was read before the deletion',
  maybeSeen_device_kept_original: 'a device kept the original',
  maybeSeen_unconfirmed: 'the channel does not confirm deletions',
  fixMessage: 'Fix this message',
  windowLeft: '{time} left',
  editWindowLeft: 'Edit: {time} left',
  revokeWindowLeft: 'Delete for everyone: {time} left',
  // Composer
  composer: 'Reply',
  messageLabel: 'Message to {name}',
  composerPlaceholder: 'Write a message… (Ctrl+Enter to send)',
  send: 'Send',
  sending: 'Sending…',
  sendHint: 'Ctrl+Enter sends. Every message waits {seconds} s before it leaves, so you can undo it.',
  sendHintNoHold: 'Ctrl+Enter sends.',
  checking: 'Checking…',
  verdict_pass: 'Looks good',
  verdict_warn: 'Check the warnings',
  verdict_review: 'Needs a colleague’s approval',
  verdict_block: 'Blocked — cannot be sent',
  verdictLabel: 'Pre-send check',
  findings: 'What the check found',
  suggestion: 'Suggestion: {text}',
  applySuggestion: 'Replace with “{text}”',
  acknowledge: 'I have read this and want to send it anyway',
  acknowledgeAll: 'Fix each warning, or tick it to confirm you have read it, before sending.',
  blockedExplain: 'Remove the highlighted text: it must never be sent.',
  reviewExplain: 'A supervisor will approve or reject this message before it leaves.',
  holdLonger: 'Unacknowledged warnings keep the message held for {seconds} s.',
  sentHeld: 'Held for {seconds} s — you can still undo it.',
  sentForApproval: 'Sent for approval.',
  category_pii: 'Personal data',
  category_price: 'Price',
  category_recipient: 'Recipient',
  category_tone: 'Tone',
  category_spelling: 'Spelling',
  notAMistake: 'Not a mistake',
  notAMistakeHint: 'Tell the team this finding is wrong: it is recorded and helps the checks improve.',
  addToGlossary: 'Add to glossary',
  reportedFalseAlarm: 'Reported as not a mistake — thank you.',
  addedToGlossary: '“{word}” added to the glossary.',
  proposedForGlossary: '“{word}” proposed to an admin for the glossary.',
  charCount: '{count} / {max} characters',
  templates: 'Insert a quick reply',
  // Fix dialog
  fixTitle: 'Fix this message',
  close: 'Close',
  whatWentWrong: 'What went wrong?',
  mistake_typo: 'A typo',
  mistake_wrong_price: 'A wrong price',
  mistake_confidential: 'Confidential or personal data',
  mistake_wrong_recipient: 'Sent to the wrong person',
  mistake_tone: 'The wrong tone',
  mistake_promotion_withdrawn: 'A promotion that was withdrawn',
  mistake_other: 'Something else',
  reportMissed: 'Report a missed mistake',
  reportMissedHint: 'The check did not catch this one: send the message and its mistake so it can learn.',
  reportedMissed: 'Reported — thank you, this helps the checks learn.',
  remediesTitle: 'Recommended fixes, best first',
  remedy_cancel: 'Cancel sending',
  remedy_edit: 'Edit the message',
  remedy_delete_for_everyone_and_correct: 'Delete for everyone, then send a correction',
  remedy_correct: 'Send a correction message',
  remedy_delete_for_me: 'Delete for me only',
  remedy_none: 'Nothing to do',
  recommended: 'Recommended',
  noteLabel: 'Note for the record (optional)',
  reasonRequired: 'Choose what went wrong first: it is recorded as the reason.',
  confirmDelete: 'Delete for everyone',
  confirmDeleteForMe: 'Delete for me',
  confirmCancel: 'Cancel sending',
  editLabel: 'Corrected text',
  saveEdit: 'Save the edit',
  startCorrection: 'Write the correction',
  deletedNowCorrect: 'Deleted for everyone. Now tell the customer what happened.',
  correctionTitle: 'Correction message',
  correctionHelp:
    'Prefilled following good practice: own the mistake, give the right information, offer a remedy, use the customer’s name, say why a message was removed. Replace every […] before sending.',
  correctionPlaceholders: 'Replace the parts in […] before sending.',
  sendCorrection: 'Send the correction',
  correctionSent: 'Correction sent.',
  windowClosed: 'window closed',
  deleteForMeWarning: 'Deleting for you only hides it from the team; the customer still sees it. You can still delete it for everyone later.',
  // Approvals
  approvalsTitle: 'Messages awaiting approval',
  noApprovals: 'Nothing waiting for approval.',
  approve: 'Approve',
  reject: 'Reject',
  rejectReason: 'Reason for rejecting',
  confirmReject: 'Reject with this reason',
  cannotApproveOwn: 'You wrote this message: another supervisor must review it.',
  to: 'To {name}',
  by: 'By {name}',
  approved: 'Approved.',
  rejected: 'Rejected.',
  // Customer phone panel
  customerPhone: 'Customer’s phone',
  customerPhoneShow: 'Show the customer’s phone',
  customerPhoneHide: 'Hide the customer’s phone',
  sandbox: 'Training sandbox: what each of the customer’s devices shows, live.',
  online: 'Online',
  offline: 'Offline',
  outdated: 'Outdated app',
  upToDate: 'Up to date',
  takeOffline: 'Take offline',
  bringOnline: 'Bring online',
  markOutdated: 'Mark outdated',
  markCurrent: 'Update the app',
  version: 'App {version}',
  addDevice: 'Add a device',
  deviceLabel: 'Device name',
  customerReads: 'Customer reads',
  customerReply: 'Customer replies',
  replyLabel: 'Reply as the customer',
  noLines: 'Nothing on this screen yet.',
  // Real WhatsApp channels
  deletedByCustomer: 'Deleted by the customer',
  originalKeptCustomer: 'Original text (kept for the record; the customer no longer sees it)',
  versionsTitle: 'All versions ({count})',
  versionLine: 'Version {n} · {time}',
  unsupportedTitle: 'Content WhatsApp could not deliver',
  notShownTitle: 'Content not shown here',
  notShownReason: 'Errata cannot show this kind of message yet ({type}).',
  providerReason: 'WhatsApp’s reason: {reason}',
  templateLabel: 'Template {name} · {language}',
  templateValues: 'Values',
  templateNoValues: 'No values',
  providerSaid: 'WhatsApp’s answer: {detail}',
  status_retrying: 'Not sent yet — retrying at {time}',
  attemptsOne: '1 attempt so far',
  attemptsMany: '{count} attempts so far',
  refused_edit: 'WhatsApp refused the edit: {reason}',
  refused_revoke: 'WhatsApp refused the deletion: {reason}',
  refusedEditConsequence: 'The customer still sees the previous text.',
  refusedRevokeConsequence: 'The customer still sees the message.',
  allDevices: 'All the customer’s devices',
  deleteRequestedUnconfirmed:
    'Deletion requested. This channel confirms nothing: the customer may still see the original. Now tell them what happened.',
  sendTemplateInstead: 'Send a template instead',
  templateFormTitle: 'Send an approved template',
  templateName: 'Template name',
  templateNameHint: 'As approved for this WhatsApp number: lower-case letters, digits, underscores.',
  templateLanguage: 'Language code',
  templateLanguageHint: 'For example fr, en or en_GB.',
  templateParameters: 'Values, one per line',
  sendTemplate: 'Send the template',
  // Channels (admins); the page's own strings are in channels-i18n.ts, loaded with it
  channels: 'Channels',
  // Guard feedback (admins); the page's own strings are in guard-admin-i18n.ts
  guardAdmin: 'Checks',
  // Errors
  errorGeneric: 'Something went wrong. Try again.',
  networkError: 'The server cannot be reached. Check your connection.',
  retry: 'Retry',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  notifications: 'Notifications',
  dismiss: 'Dismiss',
};

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  appName: 'Errata',
  skipToContent: 'Aller au contenu',
  language: 'Langue',
  languageName: 'Français',
  switchTo: 'English',
  switchToLabel: 'Switch to English',
  signInTitle: 'Connectez-vous à la boîte de réception de l’équipe',
  email: 'E-mail',
  password: 'Mot de passe',
  signIn: 'Se connecter',
  signingIn: 'Connexion…',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté(e) : {name} ({role})',
  badCredentials: 'E-mail ou mot de passe incorrect.',
  role_admin: 'administrateur',
  role_supervisor: 'superviseur',
  role_agent: 'agent',
  role_auditor: 'auditeur',
  nav: 'Principal',
  inbox: 'Boîte de réception',
  approvals: 'Validations',
  approvalsCount: 'Validations ({count} en attente)',
  conversations: 'Conversations',
  search: 'Rechercher',
  searchPlaceholder: 'Nom, téléphone ou texte',
  noConversations: 'Aucune conversation.',
  noMatches: 'Aucune conversation ne correspond à « {q} ».',
  loadMore: 'Afficher plus',
  loading: 'Chargement…',
  unread: '{count} non lu(s)',
  noMessagesYet: 'Pas encore de message',
  back: 'Retour aux conversations',
  pickConversation: 'Choisissez une conversation pour la lire et répondre.',
  thread: 'Messages avec {name}',
  olderMessages: 'Messages plus anciens',
  showHidden: 'Afficher les messages supprimés pour moi',
  you: 'Vous',
  customer: 'Client',
  status_held: 'En attente — envoi dans {time}',
  status_held_due: 'Envoi…',
  status_awaiting_approval: 'En attente de validation',
  status_queued: 'En file d’attente',
  status_sent: 'Envoyé',
  status_delivered: 'Distribué',
  status_read: 'Lu',
  status_failed: 'Échec',
  status_cancelled: 'Annulé — jamais envoyé',
  status_rejected: 'Refusé',
  status_received: 'Reçu',
  failedBecause: 'Échec : {reason}',
  rejectedBecause: 'Refusé par un validateur : {reason}',
  undo: 'Annuler',
  undoHint: 'Annuler l’envoi (Alt+Z)',
  undone: 'Envoi annulé. Le client ne l’a jamais reçu.',
  edited: 'Modifié',
  youDeleted: 'Vous avez supprimé ce message',
  deletedForCustomer: 'Ce message a été supprimé',
  originalKept: 'Original (conservé dans l’historique, masqué pour le client)',
  deletedForMe: 'Supprimé pour vous',
  restore: 'Restaurer',
  outcomes: 'Sur les appareils du client',
  outcome_applied: 'supprimé',
  outcome_pending: 'en attente — hors ligne, appliqué à la reconnexion',
  outcome_ignored: 'non supprimé — l’application obsolète affiche toujours l’original',
  outcome_expired: 'non supprimé — la demande est arrivée trop tard',
  outcome_unknown: 'inconnu — ce canal ne confirme rien',
  maybeSeen: 'A peut-être été vu',
  maybeSeenExplain: 'Le client a peut-être vu l’original : {reasons}.',
  maybeSeen_read_before_revoke: 'il a été lu avant la suppression',
  maybeSeen_device_kept_original: 'un appareil a gardé l’original',
  maybeSeen_unconfirmed: 'le canal ne confirme pas les suppressions',
  fixMessage: 'Corriger ce message',
  windowLeft: 'encore {time}',
  editWindowLeft: 'Modification : encore {time}',
  revokeWindowLeft: 'Suppression pour tous : encore {time}',
  composer: 'Répondre',
  messageLabel: 'Message à {name}',
  composerPlaceholder: 'Écrivez un message… (Ctrl+Entrée pour envoyer)',
  send: 'Envoyer',
  sending: 'Envoi…',
  sendHint: 'Ctrl+Entrée envoie. Chaque message attend {seconds} s avant de partir : vous pouvez l’annuler.',
  sendHintNoHold: 'Ctrl+Entrée envoie.',
  checking: 'Vérification…',
  verdict_pass: 'Rien à signaler',
  verdict_warn: 'Vérifiez les alertes',
  verdict_review: 'Validation d’un collègue requise',
  verdict_block: 'Bloqué — envoi impossible',
  verdictLabel: 'Vérification avant envoi',
  findings: 'Ce que la vérification a trouvé',
  suggestion: 'Suggestion : {text}',
  applySuggestion: 'Remplacer par « {text} »',
  acknowledge: 'J’ai lu cette alerte et je veux quand même envoyer',
  acknowledgeAll: 'Corrigez chaque alerte, ou cochez-la pour confirmer l’avoir lue, avant d’envoyer.',
  blockedExplain: 'Retirez le texte surligné : il ne doit jamais être envoyé.',
  reviewExplain: 'Un superviseur validera ou refusera ce message avant son départ.',
  holdLonger: 'Tant que les alertes ne sont pas confirmées, le message attend {seconds} s.',
  sentHeld: 'En attente {seconds} s — vous pouvez encore l’annuler.',
  sentForApproval: 'Envoyé pour validation.',
  category_pii: 'Données personnelles',
  category_price: 'Prix',
  category_recipient: 'Destinataire',
  category_tone: 'Ton',
  category_spelling: 'Orthographe',
  notAMistake: 'Pas une erreur',
  notAMistakeHint: 'Signalez que cette alerte est fausse : c’est enregistré et cela aide les vérifications à progresser.',
  addToGlossary: 'Ajouter au glossaire',
  reportedFalseAlarm: 'Signalé comme n’étant pas une erreur — merci.',
  addedToGlossary: '« {word} » ajouté au glossaire.',
  proposedForGlossary: '« {word} » proposé à un admin pour le glossaire.',
  charCount: '{count} / {max} caractères',
  templates: 'Insérer une réponse rapide',
  fixTitle: 'Corriger ce message',
  close: 'Fermer',
  whatWentWrong: 'Quelle est l’erreur ?',
  reportMissed: 'Signaler une erreur non détectée',
  reportMissedHint: 'La vérification ne l’a pas détectée : envoyez le message et son erreur pour qu’elle apprenne.',
  reportedMissed: 'Signalé — merci, cela aide les vérifications à progresser.',
  mistake_typo: 'Une faute de frappe',
  mistake_wrong_price: 'Un prix erroné',
  mistake_confidential: 'Une donnée confidentielle ou personnelle',
  mistake_wrong_recipient: 'Envoyé à la mauvaise personne',
  mistake_tone: 'Un ton inapproprié',
  mistake_promotion_withdrawn: 'Une promotion retirée',
  mistake_other: 'Autre chose',
  remediesTitle: 'Solutions recommandées, la meilleure d’abord',
  remedy_cancel: 'Annuler l’envoi',
  remedy_edit: 'Modifier le message',
  remedy_delete_for_everyone_and_correct: 'Supprimer pour tous, puis envoyer un correctif',
  remedy_correct: 'Envoyer un message de correction',
  remedy_delete_for_me: 'Supprimer pour moi seulement',
  remedy_none: 'Rien à faire',
  recommended: 'Recommandé',
  noteLabel: 'Note pour l’historique (facultatif)',
  reasonRequired: 'Indiquez d’abord l’erreur : elle est enregistrée comme motif.',
  confirmDelete: 'Supprimer pour tous',
  confirmDeleteForMe: 'Supprimer pour moi',
  confirmCancel: 'Annuler l’envoi',
  editLabel: 'Texte corrigé',
  saveEdit: 'Enregistrer la modification',
  startCorrection: 'Rédiger le correctif',
  deletedNowCorrect: 'Supprimé pour tous. Expliquez maintenant au client ce qui s’est passé.',
  correctionTitle: 'Message de correction',
  correctionHelp:
    'Prérempli selon les bonnes pratiques : reconnaître l’erreur, donner la bonne information, proposer un geste, nommer le client, expliquer pourquoi un message a été retiré. Remplacez chaque […] avant d’envoyer.',
  correctionPlaceholders: 'Remplacez les parties entre […] avant d’envoyer.',
  sendCorrection: 'Envoyer le correctif',
  correctionSent: 'Correctif envoyé.',
  windowClosed: 'délai dépassé',
  deleteForMeWarning:
    'Supprimer pour vous le masque seulement à l’équipe ; le client le voit toujours. Vous pourrez encore le supprimer pour tous ensuite.',
  approvalsTitle: 'Messages en attente de validation',
  noApprovals: 'Aucun message en attente de validation.',
  approve: 'Valider',
  reject: 'Refuser',
  rejectReason: 'Motif du refus',
  confirmReject: 'Refuser avec ce motif',
  cannotApproveOwn: 'Vous avez écrit ce message : un autre superviseur doit le valider.',
  to: 'À {name}',
  by: 'Par {name}',
  approved: 'Validé.',
  rejected: 'Refusé.',
  customerPhone: 'Téléphone du client',
  customerPhoneShow: 'Afficher le téléphone du client',
  customerPhoneHide: 'Masquer le téléphone du client',
  sandbox: 'Bac à sable de formation : ce qu’affiche chaque appareil du client, en direct.',
  online: 'En ligne',
  offline: 'Hors ligne',
  outdated: 'Application obsolète',
  upToDate: 'À jour',
  takeOffline: 'Mettre hors ligne',
  bringOnline: 'Remettre en ligne',
  markOutdated: 'Rendre obsolète',
  markCurrent: 'Mettre l’application à jour',
  version: 'Application {version}',
  addDevice: 'Ajouter un appareil',
  deviceLabel: 'Nom de l’appareil',
  customerReads: 'Le client lit',
  customerReply: 'Le client répond',
  replyLabel: 'Répondre en tant que client',
  noLines: 'Rien sur cet écran pour l’instant.',
  deletedByCustomer: 'Supprimé par le client',
  originalKeptCustomer: 'Texte d’origine (conservé dans l’historique ; le client ne le voit plus)',
  versionsTitle: 'Toutes les versions ({count})',
  versionLine: 'Version {n} · {time}',
  unsupportedTitle: 'Contenu non pris en charge par WhatsApp',
  notShownTitle: 'Contenu non affiché ici',
  notShownReason: 'Errata ne sait pas encore afficher ce type de message ({type}).',
  providerReason: 'Motif donné par WhatsApp : {reason}',
  templateLabel: 'Modèle {name} · {language}',
  templateValues: 'Valeurs',
  templateNoValues: 'Aucune valeur',
  providerSaid: 'Réponse de WhatsApp : {detail}',
  status_retrying: 'Pas encore envoyé — nouvel essai à {time}',
  attemptsOne: '1 tentative jusqu’ici',
  attemptsMany: '{count} tentatives jusqu’ici',
  refused_edit: 'WhatsApp a refusé la modification : {reason}',
  refused_revoke: 'WhatsApp a refusé la suppression : {reason}',
  refusedEditConsequence: 'Le client voit toujours le texte précédent.',
  refusedRevokeConsequence: 'Le client voit toujours le message.',
  allDevices: 'Tous les appareils du client',
  deleteRequestedUnconfirmed:
    'Suppression demandée. Ce canal ne confirme rien : le client voit peut-être encore l’original. Expliquez-lui maintenant ce qui s’est passé.',
  sendTemplateInstead: 'Envoyer un modèle à la place',
  templateFormTitle: 'Envoyer un modèle approuvé',
  templateName: 'Nom du modèle',
  templateNameHint: 'Tel qu’approuvé pour ce numéro WhatsApp : minuscules, chiffres, tirets bas.',
  templateLanguage: 'Code de langue',
  templateLanguageHint: 'Par exemple fr, en ou en_GB.',
  templateParameters: 'Valeurs, une par ligne',
  sendTemplate: 'Envoyer le modèle',
  channels: 'Canaux',
  guardAdmin: 'Vérifications',
  errorGeneric: 'Une erreur s’est produite. Réessayez.',
  networkError: 'Le serveur est injoignable. Vérifiez votre connexion.',
  retry: 'Réessayer',
  live: 'En direct',
  reconnecting: 'Reconnexion…',
  notifications: 'Notifications',
  dismiss: 'Fermer',
};

export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, fr };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Language, key: MessageKey, vars?: Record<string, string | number>): string {
  return fill(dictionaries[lang][key] ?? key, vars);
}

/** `{name}` placeholders filled from `vars` (unknown ones kept). */
export function fill(template: string, vars?: Record<string, string | number>): string {
  return vars ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : template;
}

const STORAGE_KEY = 'errata.lang';

export function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'fr' || stored === 'en') return stored;
  } catch {
    // storage disabled: fall back to the browser
  }
  const browser = (typeof navigator !== 'undefined' && (navigator.languages?.[0] ?? navigator.language)) || 'en';
  return browser.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The language the API client sends as Accept-Language; kept in step with the provider. */
export const currentLanguage = { value: 'en' as Language };

interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [lang, setLangState] = useState<Language>(() => initial ?? initialLanguage());
  currentLanguage.value = lang;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still switched
    }
    currentLanguage.value = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** "1:05", "59 s", "2 h 03" — a countdown a person reads at a glance. */
export function formatDuration(totalSeconds: number, lang: Language = 'en'): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h < 48) return `${h} h ${String(m).padStart(2, '0')}`;
  return `${Math.floor(h / 24)} ${lang === 'fr' ? 'j' : 'd'} ${h % 24} h`;
}

export function formatTime(iso: string | null, lang: Language): string {
  if (!iso) return '';
  const date = new Date(iso);
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(date);
}
