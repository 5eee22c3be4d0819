import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { SecretBox } from '../../auth/secret-box.ts';
import type { Database } from '../../db/schema.ts';
import { pendingMigrations } from '../../db/migrate.ts';
import { listSendLanes } from '../../db/queries/send-lane-queries.ts';
import type { JobQueue } from '../../delivery/job-queue.ts';
import { DeferredGuard, loadedGuard } from '../../guard-runtime/deferred-guard.ts';
import { appReadiness } from '../../observability/readiness.ts';
import { startCloudApiFake } from '../../test-support/fakes/cloud-api-fake.ts';
import { openEventStream } from '../../test-support/sse-client.ts';
import { call, cloudChannelBody, createTestWorkspace, startTestApp, type TestApp, uniquePhoneNumberId } from '../../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const postgres = process.env.ERRATA_TEST_DB === 'postgres';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /healthz and GET /readyz', () => {
  it('answer without authentication, and say nothing but the status', async () => {
    const health = await call(t, 'GET', '/healthz');
    expect(health).toEqual({ status: 200, body: { status: 'ok' } });
    // The guard loads once the server listens; until then the process is not ready.
    await loadedGuard(t.app.ctx.guard);
    const ready = await call(t, 'GET', '/readyz');
    expect(ready).toEqual({ status: 200, body: { status: 'ready' } });
    const raw = await fetch(`${t.baseUrl}/readyz`);
    expect(raw.headers.get('cache-control')).toBe('no-store');
    expect(raw.headers.get('x-powered-by')).toBeNull();
  });

  it('readiness fails, naming only the failing checks, when the database is unreachable, jobs stopped, the guard still loading or the process stopping', async () => {
    // A port nothing listens on: connection refused.
    const unreachable = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 }) }) });
    try {
      const checks = await appReadiness({
        db: unreachable,
        jobs: { workersRunning: false } as JobQueue,
        workers: true,
        notifications: null,
        guard: new DeferredGuard(() => new Promise(() => {})),
        closing: () => true,
      }).checks();
      expect(checks).toEqual({ database: false, migrations: false, jobs: false, realtime: true, guard: false, accepting: false });
    } finally {
      await unreachable.destroy();
    }
    const healthy = await appReadiness({ db: t.app.ctx.db, jobs: { workersRunning: true } as JobQueue, workers: true, notifications: null, closing: () => false }).checks();
    expect(Object.values(healthy).every(Boolean)).toBe(true);
  });
});

describe('a clean stop', () => {
  it('finishes the provider call in flight, records it, ends event streams and gives the sender lane back', async () => {
    const phoneNumberId = uniquePhoneNumberId();
    const fake = await startCloudApiFake({ phoneNumberId, appSecret: `s-${phoneNumberId}`, verifyToken: `v-${phoneNumberId}`, accessToken: `a-${phoneNumberId}`, serviceWindow: 'off' });
    const app = await startTestApp({ workers: true, sender: { pollMs: 100 } });
    try {
      const ws = await createTestWorkspace(app);
      const channel = await call(app, 'POST', '/api/v1/channels', { token: ws.tokens.admin, body: cloudChannelBody(fake, { defaultHoldSeconds: 0 }) });
      expect(channel.status).toBe(201);
      const from = `3362${phoneNumberId.slice(-7)}`;
      expect((await fake.sendWebhook(`${app.baseUrl}/webhooks/whatsapp`, fake.webhooks.inboundText({ from, body: 'Bonjour' }))).status).toBe(200);
      let contactId: string | undefined;
      for (let i = 0; i < 200 && !contactId; i++) {
        contactId = (await app.app.ctx.db.selectFrom('contacts').select('id').where('workspace_id', '=', ws.workspaceId).executeTakeFirst())?.id;
        if (!contactId) await sleep(20);
      }
      const stream = await openEventStream(app.baseUrl, ws.tokens.agent);
      let streamEnded = false;
      void stream.waitFor(() => false, 30_000).catch(() => {});
      // The provider takes the message now and answers 1.5 s later.
      fake.setBehaviour({ failures: [{ kind: 'acceptThenDelay', ms: 1_500 }] });
      const sent = await call(app, 'POST', '/api/v1/messages', { token: ws.tokens.agent, body: { contactId, text: 'Votre colis part demain.' } });
      expect(sent.status).toBe(202);
      for (let i = 0; i < 200 && fake.accepted.length === 0; i++) await sleep(20);
      expect(fake.accepted).toHaveLength(1);
      const ended = fetch(`${app.baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${ws.tokens.agent}` } }).then(async (r) => {
        await r.text();
        streamEnded = true;
      });
      await sleep(100);
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeGreaterThan(1_000);
      await ended;
      expect(streamEnded).toBe(true);
      stream.close();
      // Read through another app on the same database (PGlite test apps each have their own).
      if (!postgres) return;
      const row = await t.app.ctx.db.selectFrom('messages').select(['status', 'provider_message_id']).where('id', '=', sent.body.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
      expect(row.provider_message_id).toBe(fake.accepted[0]!.wamid);
      expect(await listSendLanes(t.app.ctx.db, [channel.body.id])).toEqual([]);
    } finally {
      await app.close().catch(() => {});
      await fake.close();
    }
  });
});

describe.skipIf(!postgres)('two processes starting at once on an empty database', () => {
  it('prepare it one after the other: both start, the schema is current', async () => {
    const adminUrl = process.env.ERRATA_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `errata_start_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      const secretBox = SecretBox.random();
      const start = () => createApp({ databaseUrl: url.toString(), logger: pino({ level: 'silent' }), secretBox, poolSize: 4 });
      const apps = await Promise.all([start(), start(), start()]);
      try {
        expect(await pendingMigrations(apps[0]!.ctx.db)).toEqual([]);
        const queues = await apps[1]!.ctx.jobs.boss.getQueues();
        expect(queues.map((q) => q.name).sort()).toEqual(expect.arrayContaining(['provider-action', 'release-hold', 'send-message']));
      } finally {
        for (const app of apps) await app.close();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
