import path from 'node:path';

/** Settings from the environment, read once at start-up. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demo: boolean;
  admin: { email: string | undefined; password: string | undefined; token: string | undefined };
  logLevel: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ERRATA_DATA_DIR ?? '.errata'),
    demo: env.ERRATA_DEMO !== '0',
    admin: {
      email: env.ERRATA_ADMIN_EMAIL || undefined,
      password: env.ERRATA_ADMIN_PASSWORD || undefined,
      token: env.ERRATA_ADMIN_TOKEN || undefined,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

/** PGlite keeps its files in a sub-folder, so the data directory can hold other things too. */
export function pgliteDir(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}
