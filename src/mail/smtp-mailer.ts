import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends an e-mail; resolves once the SMTP server accepted it, rejects otherwise. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (ERRATA_SMTP_URL). */
  url: string;
  /** The From header (ERRATA_MAIL_FROM). */
  from: string;
  /** Gives up on a server that does not answer; the admin still has the link on screen. */
  timeoutMs?: number;
}

export function smtpMailer(settings: SmtpSettings): Mailer {
  const timeout = settings.timeoutMs ?? 10_000;
  // nodemailer loads with the first mail, not at every start.
  let transport: Promise<Transporter> | undefined;
  const opened = () =>
    (transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        url: settings.url,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        // The link in the mail is a secret: never let the transport log message contents.
        logger: false,
        debug: false,
      }),
    ));
  return {
    async send(mail) {
      await (await opened()).sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close() {
      void transport?.then((open) => open.close());
    },
  };
}
