import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { type App, type AppOptions, createApp } from '../app.ts';
import { ManualClock } from '../clock.ts';
import { createApiToken } from '../commands/create-api-token.ts';
import { createUser, createWorkspace } from '../commands/create-workspace.ts';
import type { Role } from '../domain/actor.ts';
import type { CloudApiFake } from './fakes/cloud-api-fake.ts';

/**
 * A real server on a real database for API tests: in-memory PGlite by default, PostgreSQL when
 * ERRATA_TEST_DB=postgres. Time comes from a manual clock; jobs run when a test drains them.
 * Every test makes its own workspace, so files and tests never see each other's data.
 */
export interface TestApp {
  app: App;
  clock: ManualClock;
  /** Workspaces this file created: `settle` touches only them (the PostgreSQL suite shares one database). */
  workspaceIds: Set<string>;
  baseUrl: string;
  close(): Promise<void>;
}

/** The metrics token test servers use (`GET /metrics` with `Authorization: Bearer …`). */
export const TEST_METRICS_TOKEN = 'test-metrics-token';
/** The platform operator's token test servers use (`POST /api/v1/workspaces`). */
export const TEST_PLATFORM_TOKEN = 'test-platform-token';

export async function startTestApp(
  options: {
    providerTimeoutMs?: number;
    webhookMediaLimitBytes?: number;
    trustProxy?: boolean | number | string;
    /** Several instances of one cluster share a job schema and run their workers (cluster tests). */
    jobSchema?: string;
    workers?: boolean;
    sender?: AppOptions['sender'];
    /** Instances of one cluster open each other's channel secrets. */
    secretBox?: AppOptions['secretBox'];
    /** Invitation and reset e-mails to a local SMTP server (mail tests). */
    smtp?: AppOptions['smtp'];
    /** Where the server logs go (tests that read them); silent by default. */
    logger?: AppOptions['logger'];
  } = {},
): Promise<TestApp> {
  const clock = new ManualClock('2026-03-02T10:00:00.000Z');
  const postgres = process.env.ERRATA_TEST_DB === 'postgres';
  const app = await createApp({
    databaseUrl: postgres ? process.env.ERRATA_TEST_DATABASE_URL : undefined,
    dataDir: postgres ? undefined : 'memory://',
    clock,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.smtp ? { smtp: options.smtp } : {}),
    // Each file its own pg-boss schema: one file's drain never runs another file's jobs.
    jobSchema: options.jobSchema ?? `pgboss_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
    ...(options.workers ? { workers: true } : {}),
    ...(options.sender ? { sender: options.sender } : {}),
    ...(options.secretBox ? { secretBox: options.secretBox } : {}),
    providerTimeoutMs: options.providerTimeoutMs ?? 2_000,
    ...(options.webhookMediaLimitBytes ? { webhookMediaLimitBytes: options.webhookMediaLimitBytes } : {}),
    metricsToken: TEST_METRICS_TOKEN,
    platformToken: TEST_PLATFORM_TOKEN,
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as AddressInfo;
  return { app, clock, workspaceIds: new Set(), baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface TestWorkspace {
  workspaceId: string;
  tokens: Record<'admin' | 'agent' | 'agent2' | 'supervisor' | 'auditor', string>;
  userIds: Record<'admin' | 'agent' | 'agent2' | 'supervisor' | 'auditor', string>;
}

let counter = 0;

export async function createTestWorkspace(t: TestApp): Promise<TestWorkspace> {
  const ctx = t.app.ctx;
  const suffix = `${process.pid}-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2, 6)}`;
  const { workspaceId, adminId } = await createWorkspace(ctx, {
    name: `Test ${suffix}`,
    admin: { email: `admin-${suffix}@test.local`, name: 'Ada Admin' },
  });
  t.workspaceIds.add(workspaceId);
  const userIds = { admin: adminId } as TestWorkspace['userIds'];
  const tokens = {} as TestWorkspace['tokens'];
  const people: [keyof TestWorkspace['userIds'], Role, string][] = [
    ['agent', 'agent', 'Alice Agent'],
    ['agent2', 'agent', 'Bob Agent'],
    ['supervisor', 'supervisor', 'Sue Supervisor'],
    ['auditor', 'auditor', 'Otto Auditor'],
  ];
  for (const [key, role, name] of people) {
    userIds[key] = await createUser(ctx, { workspaceId, email: `${key}-${suffix}@test.local`, name, role });
  }
  for (const key of Object.keys(userIds) as (keyof TestWorkspace['userIds'])[]) {
    tokens[key] = await createApiToken(ctx, { workspaceId, userId: userIds[key], label: 'test' });
  }
  return { workspaceId, tokens, userIds };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert on them
export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** Real HTTP, like any client. `body` may be a string to send it as is (malformed JSON tests). */
// biome-ignore lint/suspicious/noExplicitAny: see ApiResponse
export async function call<T = any>(
  t: TestApp,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T };
}

export interface SimulatorSetup {
  ws: TestWorkspace;
  channelId: string;
  contactId: string;
}

/** A fresh workspace with a simulator channel and one contact (whose phone is online and current). */
export async function setupSimulator(
  t: TestApp,
  options: { channel?: Record<string, unknown>; contact?: { name: string; phone: string; language: 'fr' | 'en' } } = {},
): Promise<SimulatorSetup> {
  const ws = await createTestWorkspace(t);
  const channel = await call(t, 'POST', '/api/v1/channels', {
    token: ws.tokens.admin,
    body: { type: 'simulator', name: 'Sim', ...options.channel },
  });
  if (channel.status !== 201) throw new Error(`channel: ${JSON.stringify(channel.body)}`);
  const contact = await call(t, 'POST', '/api/v1/contacts', {
    token: ws.tokens.admin,
    body: options.contact ?? { name: 'James Carter', phone: '+44 7911 123456', language: 'en' },
  });
  if (contact.status !== 201) throw new Error(`contact: ${JSON.stringify(contact.body)}`);
  return { ws, channelId: channel.body.id, contactId: contact.body.id };
}

/** How many messages a workspace has (to prove a refused request stored nothing). */
export async function countMessages(t: TestApp, workspaceId: string): Promise<number> {
  const row = await t.app.ctx.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Runs jobs and provider sends until nothing more is due on the test clock (releases, sends,
 * retries whose time has come, provider actions). Answers how many things ran.
 */
export async function settle(t: TestApp): Promise<number> {
  let total = 0;
  for (let pass = 0; pass < 20; pass++) {
    const scope = { workspaceIds: [...t.workspaceIds] };
    const ran = (await t.app.providerEvents.drain(scope)) + (await t.app.ctx.jobs.drain()) + (await t.app.sender.drain(scope));
    total += ran;
    if (ran === 0) break;
  }
  return total;
}

let numberSeq = 0;
/** A phone number id no other test uses (the database allows one channel per number). */
export function uniquePhoneNumberId(): string {
  numberSeq++;
  return `1${String(process.pid).padStart(7, '0')}${String(Date.now() % 1e6).padStart(6, '0')}${String(numberSeq).padStart(4, '0')}`;
}

/** `POST /channels` body connecting the Cloud API fake's number (tests, browser tests, benchmarks). */
export function cloudChannelBody(fake: CloudApiFake, extra: Record<string, unknown> = {}) {
  return {
    type: 'whatsapp-cloud',
    name: 'WhatsApp',
    ...extra,
    config: {
      phoneNumberId: fake.phoneNumberId,
      wabaId: fake.wabaId,
      accessToken: fake.accessToken,
      appSecret: fake.appSecret,
      verifyToken: fake.verifyToken,
      apiBaseUrl: fake.url,
      apiVersion: fake.apiVersion,
    },
  };
}
