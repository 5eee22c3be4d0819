import type { Logger } from 'pino';
import { type LinkMailInput, linkMail } from '../domain/team-mail.ts';
import type { Mailer } from './smtp-mailer.ts';

/** What the admin is told about the e-mail: only `sent` once the SMTP server accepted it. */
export type MailStatus = 'sent' | 'failed' | 'not_configured';

/**
 * Mails a one-time link after the command that made it has committed. The link stays on the
 * admin's screen whatever happens here, so a failure is reported, never thrown. The link is a
 * secret: it is never logged.
 */
export async function sendLinkMail(
  deps: { mailer?: Mailer | undefined; log: Logger },
  to: string,
  input: LinkMailInput,
): Promise<MailStatus> {
  if (!deps.mailer) return 'not_configured';
  const content = linkMail(input);
  try {
    await deps.mailer.send({ to, subject: content.subject, text: content.text });
    return 'sent';
  } catch (error) {
    const code = (error as { code?: unknown; responseCode?: unknown }).code ?? (error as { responseCode?: unknown }).responseCode;
    deps.log.warn({ kind: input.kind, smtpError: typeof code === 'string' || typeof code === 'number' ? code : 'unknown' }, 'link e-mail not sent');
    return 'failed';
  }
}
