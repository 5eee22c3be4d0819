import { writeFileSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../app.ts';
import { SecretBox } from '../auth/secret-box.ts';
import { bootstrap, DEMO_COLLEAGUES } from '../commands/bootstrap.ts';
import { type Config, pgliteDir } from '../config.ts';

const CREDENTIALS_FILE = 'initial-admin.txt';

/** `errata serve`: migrate, bootstrap an empty database, start workers and the HTTP server. */
export async function serve(config: Config): Promise<void> {
  const started = performance.now();
  const log = pino({
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.totp', '*.current', '*.next', '*.code', '*.accessToken', '*.appSecret', '*.verifyToken', '*.apiKey', 'req.headers.apikey'],
  });
  const app = await createApp({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : pgliteDir(config),
    workers: true,
    logger: log,
    secretBox: SecretBox.load(process.env, config.dataDir),
    providerTimeoutMs: config.providerTimeoutMs,
    sender: { leaseSeconds: config.sendLeaseSeconds },
    webhookMediaLimitBytes: config.webhookMediaLimitBytes,
    metricsToken: config.metricsToken,
    platformToken: config.platformToken,
    trustProxy: config.trustProxy,
    smtp: config.smtp,
  });
  const boot = await bootstrap(app.ctx, { demo: config.demo, admin: config.admin });
  const credentialsPath = path.join(config.dataDir, CREDENTIALS_FILE);
  if (boot?.generatedPassword) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(credentialsPath, `${boot.adminEmail}\n${boot.generatedPassword}\n`, { mode: 0o600 });
  }
  await app.server.listen({ port: config.port, host: config.host });
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;

  const lines = [`Errata is ready at ${url} (${Math.round(performance.now() - started)} ms, ${app.ctx.dbKind})`];
  lines.push(`API docs: ${url}/api/docs`);
  if (existsSync(credentialsPath)) {
    const [email, password] = readFileSync(credentialsPath, 'utf8').split('\n');
    lines.push(`Admin login: ${email} / ${password}  (kept in ${credentialsPath}; delete the file once you changed it)`);
    if (config.demo) lines.push(`Demo colleagues, same password: ${DEMO_COLLEAGUES.join(', ')}`);
  } else if (config.admin.email || boot) {
    lines.push(`Admin login: ${config.admin.email ?? boot?.adminEmail} (password from ERRATA_ADMIN_PASSWORD)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // Requests and provider calls in flight get `shutdownSeconds` to finish (a provider call ends by
  // its own timeout); past that, or on a second signal, the process exits anyway — anything
  // unfinished is found again by the other processes (leases run out, rows are the truth).
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, deadlineSeconds: config.shutdownSeconds }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown deadline passed; exiting with work unfinished');
      process.exit(1);
    }, config.shutdownSeconds * 1000);
    deadline.unref();
    try {
      await app.close();
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
