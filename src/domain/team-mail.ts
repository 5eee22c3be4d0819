/**
 * The e-mails that carry a one-time link (invitation, password reset), in the reader's language.
 * Pure: the caller gives the link, its expiry and who sent it.
 */
export type MailLanguage = 'fr' | 'en';

/** The workspace's or person's language when it is one we write in, else English. */
export function mailLanguage(language: string | null | undefined): MailLanguage {
  return language === 'fr' ? 'fr' : 'en';
}

export interface LinkMailInput {
  kind: 'invitation' | 'password_reset';
  language: MailLanguage;
  url: string;
  expiresAt: Date;
  workspaceName: string;
  /** Who invited or reset; absent for the platform operator or the CLI. */
  senderName?: string | undefined;
  recipientName: string;
}

export interface MailContent {
  subject: string;
  text: string;
}

export function linkMail(input: LinkMailInput): MailContent {
  const until = new Intl.DateTimeFormat(input.language === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(input.expiresAt);
  const fr = input.language === 'fr';
  const hello = fr ? `Bonjour ${input.recipientName},` : `Hello ${input.recipientName},`;
  const ignore = fr
    ? 'Si vous ne vous attendiez pas à ce message, ignorez-le : rien ne change sans ce lien.'
    : 'If you did not expect this message, ignore it: nothing changes without this link.';
  if (input.kind === 'invitation') {
    const who = input.senderName
      ? fr
        ? `${input.senderName} vous invite à rejoindre l’espace « ${input.workspaceName} » sur Errata.`
        : `${input.senderName} invites you to join the "${input.workspaceName}" workspace on Errata.`
      : fr
        ? `Vous êtes invité(e) à administrer l’espace « ${input.workspaceName} » sur Errata.`
        : `You are invited to run the "${input.workspaceName}" workspace on Errata.`;
    return {
      subject: fr ? `Invitation à rejoindre ${input.workspaceName} sur Errata` : `Invitation to join ${input.workspaceName} on Errata`,
      text: [
        hello,
        '',
        who,
        fr ? 'Choisissez votre mot de passe avec ce lien (utilisable une seule fois) :' : 'Choose your password with this link (it works once):',
        input.url,
        '',
        fr ? `Le lien expire le ${until} (UTC).` : `The link expires on ${until} (UTC).`,
        ignore,
      ].join('\n'),
    };
  }
  return {
    subject: fr ? 'Réinitialisation de votre mot de passe Errata' : 'Reset your Errata password',
    text: [
      hello,
      '',
      input.senderName
        ? fr
          ? `${input.senderName} a demandé la réinitialisation de votre mot de passe pour l’espace « ${input.workspaceName} ».`
          : `${input.senderName} asked for your password for the "${input.workspaceName}" workspace to be reset.`
        : fr
          ? `La réinitialisation de votre mot de passe pour l’espace « ${input.workspaceName} » a été demandée.`
          : `A reset of your password for the "${input.workspaceName}" workspace was requested.`,
      fr ? 'Choisissez un nouveau mot de passe avec ce lien (utilisable une seule fois) :' : 'Choose a new password with this link (it works once):',
      input.url,
      '',
      fr ? `Le lien expire le ${until} (UTC).` : `The link expires on ${until} (UTC).`,
      ignore,
    ].join('\n'),
  };
}
