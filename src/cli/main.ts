import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createApp } from '../app.ts';
import { createApiToken } from '../commands/create-api-token.ts';
import { createUser } from '../commands/create-workspace.ts';
import { pgliteDir, readConfig } from '../config.ts';
import { mistakeKinds } from '../contracts/vocabulary.ts';
import { findUserByEmail } from '../db/queries/user-queries.ts';
import { apiRequest } from './api-client.ts';
import { serve } from './serve.ts';

const roles = ['admin', 'supervisor', 'agent', 'auditor'] as const;

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of: ${values.join(', ')}`);
    return value as T;
  };
}

function isoTime(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected a date or time such as 2026-04-01T08:00:00Z');
  return at;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of seconds');
  return n;
}

/** Opens the database directly, for administration commands that have no HTTP equivalent. */
async function withDatabase<T>(work: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const config = readConfig();
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : pgliteDir(config),
    logger: pino({ level: 'warn' }),
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function buildCli(): Command {
  const program = new Command('errata')
    .description('Errata: a team inbox for WhatsApp Business that catches and repairs message mistakes')
    .showHelpAfterError();

  program
    .command('serve', { isDefault: true })
    .description('start the server and the web app (PORT, DATABASE_URL, ERRATA_DATA_DIR, ERRATA_DEMO, ERRATA_ADMIN_*)')
    .action(async () => serve(readConfig()));

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      await withDatabase(async () => undefined);
      process.stdout.write('Database is up to date.\n');
    });

  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('create an API token for a user (created with that role if the email is new)')
    .requiredOption('--email <email>', 'the user’s email')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`, oneOf(roles))
    .option('--name <name>', 'name of a new user')
    .option('--label <label>', 'what the token is for', 'cli')
    .action(async (options: { email: string; role: (typeof roles)[number]; name?: string; label: string }) => {
      await withDatabase(async ({ ctx }) => {
        let user = await findUserByEmail(ctx.db, options.email);
        if (!user) {
          const workspace = await ctx.db.selectFrom('workspaces').select('id').orderBy('created_at').limit(1).executeTakeFirst();
          if (!workspace) throw new Error('No workspace yet: start Errata once (errata serve) to create one.');
          await createUser(ctx, {
            workspaceId: workspace.id,
            email: options.email,
            name: options.name ?? options.email.split('@')[0]!,
            role: options.role,
          });
          user = await findUserByEmail(ctx.db, options.email);
        } else if (user.role !== options.role) {
          throw new Error(`${options.email} exists with role ${user.role}, not ${options.role}.`);
        }
        const secret = await createApiToken(ctx, { workspaceId: user!.workspace_id, userId: user!.id, label: options.label });
        process.stdout.write(`${secret}\n`);
      });
    });

  const workspace = program.command('workspace').description('workspaces (for people who host Errata for several businesses)');
  workspace
    .command('create')
    .description('create a workspace and invite its first admin: prints a one-time link valid 7 days (ERRATA_PUBLIC_URL sets its address)')
    .requiredOption('--name <name>', 'the business’s name')
    .requiredOption('--admin-email <email>', 'the first admin’s e-mail')
    .option('--admin-name <name>', 'the first admin’s name')
    .option('--country <code>', 'ISO country code (phone numbers are read in it)', 'FR')
    .option('--language <language>', 'fr or en', oneOf(['fr', 'en'] as const), 'fr')
    .action(async (options: { name: string; adminEmail: string; adminName?: string; country: string; language: 'fr' | 'en' }) => {
      const [{ createWorkspaceBody }, { createWorkspaceWithInvitation }, { linkAt }] = await Promise.all([
        import('../contracts/team-schemas.ts'),
        import('../commands/team/create-workspace-with-invitation.ts'),
        import('../http/session-view.ts'),
      ]);
      const input = createWorkspaceBody.safeParse({
        name: options.name,
        adminEmail: options.adminEmail,
        country: options.country.toUpperCase(),
        language: options.language,
        ...(options.adminName ? { adminName: options.adminName } : {}),
      });
      if (!input.success) throw new InvalidArgumentError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      await withDatabase(async ({ ctx }) => {
        const config = readConfig();
        const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
        const result = await createWorkspaceWithInvitation(ctx, input.data, 'cli');
        const url = linkAt(`http://${host}:${config.port}`, 'invitation', result.token);
        process.stdout.write(
          `Workspace "${result.workspace.name}" created (${result.workspace.id}).\n` +
            `Invitation for ${result.admin.email} (admin), valid until ${result.expiresAt.toISOString()}:\n${url}\n`,
        );
        if (config.smtp) {
          const [{ smtpMailer }, { sendLinkMail }, { mailLanguage }] = await Promise.all([
            import('../mail/smtp-mailer.ts'),
            import('../mail/link-mail.ts'),
            import('../domain/team-mail.ts'),
          ]);
          const mailer = smtpMailer(config.smtp);
          const mail = await sendLinkMail({ mailer, log: ctx.log }, result.admin.email, {
            kind: 'invitation',
            language: mailLanguage(result.workspace.language),
            url,
            expiresAt: result.expiresAt,
            workspaceName: result.workspace.name,
            recipientName: result.admin.name,
          });
          mailer.close();
          process.stdout.write(mail === 'sent' ? `The link was also e-mailed to ${result.admin.email}.\n` : 'The e-mail could not be sent: hand the link over yourself.\n');
        }
      });
    });

  const webhooks = program.command('webhooks').description('stored webhook deliveries');
  webhooks
    .command('reprocess')
    .description('read stored webhook deliveries again with the current parsers and apply what is new (idempotent)')
    .requiredOption('--since <time>', 'deliveries received from this time on (ISO 8601, e.g. 2026-04-01 or 2026-04-01T08:00:00Z)', isoTime)
    .action(async (options: { since: Date }) => {
      await withDatabase(async ({ ctx, providerEvents }) => {
        const { reprocessWebhooks } = await import('../commands/reprocess-webhooks.ts');
        const report = await reprocessWebhooks(ctx, { since: options.since });
        const applied = await providerEvents.drain();
        process.stdout.write(
          `${report.deliveries} deliveries read, ${report.events} facts: ${report.stored} new or read differently, ${report.unchanged} unchanged, ${report.unreadable} unreadable deliveries; ${applied} facts applied.\n`,
        );
      });
    });

  program
    .command('send')
    .description('send a message through the API (ERRATA_URL, ERRATA_TOKEN)')
    .requiredOption('--contact <id>', 'contact id')
    .requiredOption('--text <text>', 'message text')
    .option('--channel <id>', 'channel id (default channel otherwise)')
    .option('--hold <seconds>', 'hold window before it leaves', integer)
    .option('--idempotency-key <key>', 'repeat-safe key')
    .action(async (options: { contact: string; text: string; channel?: string; hold?: number; idempotencyKey?: string }) => {
      const message = await apiRequest('POST', '/api/v1/messages', {
        contactId: options.contact,
        text: options.text,
        ...(options.channel ? { channelId: options.channel } : {}),
        ...(options.hold !== undefined ? { holdSeconds: options.hold } : {}),
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      });
      process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
    });

  program
    .command('delete')
    .description('delete a message for me or for everyone through the API (ERRATA_URL, ERRATA_TOKEN)')
    .argument('<messageId>', 'message id')
    .requiredOption('--scope <scope>', 'me or everyone', oneOf(['me', 'everyone'] as const))
    .requiredOption('--reason <reason>', `one of ${mistakeKinds.join(', ')}`, oneOf(mistakeKinds))
    .option('--note <note>', 'why, for the record')
    .action(async (messageId: string, options: { scope: 'me' | 'everyone'; reason: string; note?: string }) => {
      const message = await apiRequest('POST', `/api/v1/messages/${encodeURIComponent(messageId)}/delete`, {
        scope: options.scope,
        reason: options.reason,
        ...(options.note ? { note: options.note } : {}),
      });
      process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
    });

  program
    .command('check')
    .description('run the pre-send guard on a message read from standard input (plain text, or --jsonl)')
    .option('--jsonl', 'one JSON object per line in, one JSON line out per input, in order')
    .option('--pretty', 'a human report instead of JSON')
    .option('--region <country>', 'default country for phone numbers', 'FR')
    .option('--no-spelling', 'skip the spelling check (no dictionaries loaded)')
    .action(async (options: { jsonl?: boolean; pretty?: boolean; region: string; spelling: boolean }) => {
      const { createGuard } = await import('../guard-runtime/create-guard.ts');
      const { runCheckCommand } = await import('./check-command.ts');
      const guard = await createGuard({ defaultRegion: options.region.toUpperCase(), spelling: options.spelling });
      try {
        process.exitCode = await runCheckCommand({
          input: process.stdin,
          output: process.stdout,
          guard,
          jsonl: options.jsonl ?? false,
          pretty: options.pretty ?? false,
        });
      } finally {
        guard.dispose();
      }
    });

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`errata: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
